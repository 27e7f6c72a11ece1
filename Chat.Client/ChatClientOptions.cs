using Microsoft.Extensions.Logging;
using Microsoft.AspNetCore.SignalR.Client;

namespace Chat.Client;

public sealed class ChatClientOptions
{
    /// <summary>The server's base address, e.g. <c>http://localhost:5000</c>.</summary>
    public required Uri Server { get; init; }

    /// <summary>The nickname to ask for; null lets the server assign one.</summary>
    public string? Nickname { get; init; }

    /// <summary>
    /// A secret that makes this client's connections one user across reconnects (and tabs). Keep it to
    /// resume as the same user; the default is new for each client.
    /// </summary>
    public string UserKey { get; init; } = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));

    public IRetryPolicy ReconnectPolicy { get; init; } = BackoffRetryPolicy.Default;

    /// <summary>How often the client pings when it has nothing else to send; keep it under half the server's client timeout.</summary>
    public TimeSpan KeepAliveInterval { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>How long a silent server is trusted before the connection counts as lost.</summary>
    public TimeSpan ServerTimeout { get; init; } = TimeSpan.FromSeconds(30);

    public ILoggerFactory? LoggerFactory { get; init; }
}
