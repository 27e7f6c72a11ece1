using System.Net;
using System.Net.WebSockets;
using Chat.Client.Internal;
using Microsoft.AspNetCore.Connections;

namespace Chat.Client;

/// <summary>
/// Connects a <c>HubConnection</c> straight to the hub's WebSocket endpoint (no negotiate request):
/// <c>http(s)://host/hubs/chat</c> becomes <c>ws(s)://host/hubs/chat</c>.
/// </summary>
/// <param name="resolveUri">Called on every connect and reconnect, so the URL can carry current state (the nickname).</param>
/// <param name="configure">Adjusts each socket's options (headers, keep-alive).</param>
public sealed class WebSocketConnectionFactory(Func<Uri, Uri>? resolveUri = null, Action<ClientWebSocketOptions>? configure = null) : IConnectionFactory
{
    public async ValueTask<ConnectionContext> ConnectAsync(EndPoint endpoint, CancellationToken cancellationToken = default)
    {
        if (endpoint is not UriEndPoint uriEndPoint)
        {
            throw new NotSupportedException($"{nameof(WebSocketConnectionFactory)} connects to a {nameof(UriEndPoint)}, not {endpoint.GetType().Name}.");
        }

        var uri = ToWebSocketUri(resolveUri?.Invoke(uriEndPoint.Uri) ?? uriEndPoint.Uri);
        var socket = new ClientWebSocket();
        configure?.Invoke(socket.Options);
        try
        {
            await socket.ConnectAsync(uri, cancellationToken);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        var connection = new WebSocketConnection(socket);
        connection.Start();
        return connection;
    }

    public static Uri ToWebSocketUri(Uri uri)
    {
        var builder = new UriBuilder(uri);
        builder.Scheme = builder.Scheme switch
        {
            "http" => "ws",
            "https" => "wss",
            _ => builder.Scheme,
        };
        builder.Port = uri.IsDefaultPort ? -1 : uri.Port;
        return builder.Uri;
    }
}
