using System.Buffers;
using System.Buffers.Text;
using System.IO.Pipelines;
using System.Security.Cryptography;
using Chat.Server.Hosting;
using Chat.Server.Transport.Internal;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Options;

namespace Chat.Server.Transport;

/// <summary>
/// Kestrel connection middleware in front of HTTP: a new plain connection whose first request is a
/// valid WebSocket upgrade of the hub path (RFC 6455, no negotiated id, an allowed origin, the server
/// not stopping) is answered with 101 here and handed to the hub's connection pipeline with our own
/// framing (<see cref="WebSocketPipe"/>). Everything else goes to the HTTP stack byte for byte,
/// including the refusals (403, 503), which the HTTP stack words.
/// </summary>
/// <remarks>
/// An upgraded HTTP request keeps Kestrel's HTTP/1.1 connection, the request and its
/// <c>HttpContext</c>, SignalR's HTTP connection and WebSocket transport and two more pipes alive for the
/// life of the connection; this path keeps none of them (see docs/benchmarks.md, "idle").
/// </remarks>
public sealed class DirectWebSockets(ConnectionDrainer drainer, OriginCheck origins, IOptions<ChatLimitsOptions> limits)
{
    private ConnectionDelegate? _hub;

    /// <summary>The hub's connection pipeline (the guard, then the hub), set when the hub is mapped.</summary>
    public void UseHub(ConnectionDelegate hub) => _hub = hub;

    /// <summary>The middleware, for <c>ListenOptions.Use</c>.</summary>
    public ConnectionDelegate Route(ConnectionDelegate http) => connection => RouteAsync(connection, http);

    private async Task RouteAsync(ConnectionContext connection, ConnectionDelegate http)
    {
        var upgrade = _hub is null ? null : await ReadUpgradeAsync(connection);
        if (upgrade is null)
        {
            await http(connection);
            return;
        }

        // Only what the connection keeps outlives this point (the request's headers do not).
        connection.Features.Set(new ConnectionRequest(upgrade.Name, upgrade.ClientKey));
        var socket = connection.Transport;
        socket.Output.Write(WebSocketHandshake.SwitchingProtocols(upgrade.Key));
        upgrade = null;
        await socket.Output.FlushAsync(connection.ConnectionClosed);

        // Kestrel numbers connections from its start time: two nodes of a cluster can hand out the same
        // ids. Hub connection ids must be unique everywhere, as SignalR's own are.
        connection.ConnectionId = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16));
        var webSocket = new WebSocketPipe(socket, limits.Value.MaxMessageBytes);
        connection.Transport = webSocket;
        try
        {
            await _hub!(connection);
        }
        finally
        {
            webSocket.Output.Complete();
            webSocket.Input.Complete();
            connection.Transport = socket;
        }
    }

    /// <summary>Reads the first request's head; null (with nothing consumed) when the HTTP stack should have it.</summary>
    private async Task<WebSocketUpgrade?> ReadUpgradeAsync(ConnectionContext connection)
    {
        var input = connection.Transport.Input;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(limits.Value.HandshakeTimeoutSeconds));
        while (true)
        {
            ReadResult read;
            try
            {
                read = await input.ReadAsync(timeout.Token);
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested)
            {
                // Too slow to tell: HTTP's own timeouts deal with it.
                return null;
            }

            var buffer = read.Buffer;
            var verdict = WebSocketHandshake.Read(buffer, out var upgrade);
            if (verdict == HandshakeVerdict.NeedMore && !read.IsCompleted && !read.IsCanceled)
            {
                input.AdvanceTo(buffer.Start, buffer.End);
                continue;
            }

            if (verdict != HandshakeVerdict.Upgrade || drainer.IsStopping || !origins.Allows("http", upgrade!.Host, upgrade.Origin))
            {
                // Unexamined, so the HTTP stack's first read returns these bytes at once.
                input.AdvanceTo(buffer.Start, buffer.Start);
                return null;
            }

            input.AdvanceTo(buffer.GetPosition(upgrade.HeadLength));
            return upgrade;
        }
    }
}
