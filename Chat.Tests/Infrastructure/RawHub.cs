using Chat.Protocol;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;

namespace Chat.Tests.Infrastructure;

/// <summary>
/// A bare SignalR <see cref="HubConnection"/> to the hub, for calls the typed client makes for you (fixed
/// message ids). It carries its key in the query, as the browser page does.
/// </summary>
public static class RawHub
{
    /// <summary>How long a test waits for any one hub call before it fails with the call's name instead of hanging.</summary>
    public static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(30);

    /// <summary><c>InvokeAsync</c> with <see cref="CallTimeout"/>: a call the server never answers fails the test.</summary>
    public static Task<T> CallAsync<T>(this HubConnection hub, string method, params object?[] arguments) =>
        hub.InvokeCoreAsync<T>(method, arguments).WaitAsync(CallTimeout);

    public static async Task<HubConnection> ConnectAsync(Uri server, string? nickname = null, string? key = null)
    {
        var query = new List<string>();
        if (nickname is not null)
        {
            query.Add($"{ChatEndpoints.NameParameter}={Uri.EscapeDataString(nickname)}");
        }

        if (key is not null)
        {
            query.Add($"{ChatEndpoints.KeyParameter}={Uri.EscapeDataString(key)}");
        }

        var url = new UriBuilder(new Uri(server, ChatEndpoints.HubPath)) { Query = string.Join('&', query) }.Uri;
        var connection = new HubConnectionBuilder()
            .WithUrl(url, http =>
            {
                http.SkipNegotiation = true;
                http.Transports = HttpTransportType.WebSockets;
            })
            .Build();
        await connection.StartAsync().WaitAsync(TimeSpan.FromSeconds(10));
        return connection;
    }
}
