using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.Logging;

namespace Chat.Client;

public sealed class ChatClientOptions
{
    /// <summary>The server's base address, e.g. <c>http://localhost:5000</c>.</summary>
    public required Uri Server { get; init; }

    /// <summary>The nickname to ask for as a guest; null lets the server assign one. Ignored with <see cref="Credentials"/>.</summary>
    public string? Nickname { get; init; }

    /// <summary>
    /// Sign in as this account: the client gets an access token from the server (<c>POST /api/sessions</c>),
    /// connects with it instead of <see cref="UserKey"/>, and signs in again when the token has expired by
    /// the time it reconnects. The nickname is then the username, on every device. Null: a guest.
    /// </summary>
    public ChatCredentials? Credentials { get; init; }

    /// <summary>
    /// A secret that makes a guest's connections one user across reconnects (and tabs). Keep it to
    /// resume as the same user; the default is new for each client. Not sent with <see cref="Credentials"/>. It travels as the connection's
    /// access token (an <c>Authorization</c> header), never in the URL.
    /// </summary>
    public string UserKey { get; init; } = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));

    /// <summary>
    /// False (the default): connect straight to the hub's WebSocket, without a negotiate request, so any
    /// node behind a load balancer can take the connection. True: negotiate first and take the first of
    /// <see cref="Transports"/> that works, falling back to Server-Sent Events or long polling where a
    /// proxy breaks WebSockets; behind a load balancer that needs sticky sessions, because the negotiate
    /// request and the connection must reach the same server.
    /// </summary>
    public bool Negotiate { get; init; }

    /// <summary>The transports negotiate may choose from, best first as SignalR orders them; only with <see cref="Negotiate"/>.</summary>
    public HttpTransportType Transports { get; init; } = HttpTransports.All;

    public IRetryPolicy ReconnectPolicy { get; init; } = BackoffRetryPolicy.Default;

    /// <summary>How often the client pings when it has nothing else to send; keep it under half the server's client timeout.</summary>
    public TimeSpan KeepAliveInterval { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>How long a silent server is trusted before the connection counts as lost.</summary>
    public TimeSpan ServerTimeout { get; init; } = TimeSpan.FromSeconds(30);

    public ILoggerFactory? LoggerFactory { get; init; }
}
