using System.Buffers;
using System.Buffers.Text;
using System.Globalization;
using System.IO.Pipelines;
using System.Security.Cryptography;
using System.Text;
using Chat.Server.Hosting;
using Chat.Server.Hubs;
using Chat.Server.Transport.Internal;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Options;

namespace Chat.Server.Transport;

/// <summary>
/// Kestrel connection middleware in front of HTTP: a new plain connection whose first request is a
/// valid WebSocket upgrade of the hub path (RFC 6455, no negotiated id, an allowed host and origin, the
/// server not stopping) is answered with 101 here and handed to the hub's connection pipeline with our own
/// framing (<see cref="WebSocketPipe"/>). Everything else goes to the HTTP stack byte for byte,
/// including the refusals (400, 403, 426, 431, 503), which the HTTP stack words.
/// </summary>
/// <remarks>
/// An upgraded HTTP request keeps Kestrel's HTTP/1.1 connection, the request and its
/// <c>HttpContext</c>, SignalR's HTTP connection and WebSocket transport and two more pipes alive for the
/// life of the connection; this path keeps none of them (see docs/benchmarks.md, "idle").
/// </remarks>
public sealed class DirectWebSockets(
    HubPipeline hub,
    ConnectionDrainer drainer,
    HostCheck hosts,
    OriginCheck origins,
    IOptions<ChatLimitsOptions> limits,
    IOptions<KestrelServerOptions> kestrelOptions)
{
    /// <summary>The middleware, for <c>ListenOptions.Use</c>.</summary>
    public ConnectionDelegate Route(ConnectionDelegate http) => connection => RouteAsync(connection, http);

    private async Task RouteAsync(ConnectionContext connection, ConnectionDelegate http)
    {
        var (upgrade, ended) = hub.IsReady ? await ReadUpgradeAsync(connection) : (null, false);
        if (ended)
        {
            return;
        }

        if (upgrade is null)
        {
            await http(connection);
            return;
        }

        // Only what the connection keeps outlives this point (the request's headers do not).
        connection.Features.Set(upgrade.Request);
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
            await hub.RunAsync(connection);
        }
        finally
        {
            webSocket.Output.Complete();
            webSocket.Input.Complete();
            connection.Transport = socket;
        }
    }

    /// <summary>
    /// Reads the first request's head: the upgrade, or null with nothing consumed or examined when the
    /// HTTP stack should have it, so its first read returns these bytes at once and its own timeouts
    /// start afresh. A head too slow to tell is ended here the way Kestrel ends it, on Kestrel's own
    /// timeouts: handing it on would make the client wait for Kestrel's timeouts after ours.
    /// </summary>
    private async Task<(WebSocketUpgrade? Upgrade, bool Ended)> ReadUpgradeAsync(ConnectionContext connection)
    {
        var kestrel = kestrelOptions.Value;
        var headLimits = new HeadLimits(kestrel.Limits.MaxRequestLineSize, kestrel.Limits.MaxRequestHeadersTotalSize, kestrel.Limits.MaxRequestHeaderCount);
        var input = connection.Transport.Input;

        // Kestrel waits KeepAliveTimeout for a request's first byte, then RequestHeadersTimeout for the rest of its head.
        using var timeout = new CancellationTokenSource(kestrel.Limits.KeepAliveTimeout);
        var started = false;
        while (true)
        {
            ReadResult read;
            try
            {
                read = await input.ReadAsync(timeout.Token);
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested)
            {
                if (started)
                {
                    await RequestTimeoutAsync(connection, kestrel);
                }

                // Kestrel closes a connection that sent nothing without a word.
                return (null, true);
            }

            var buffer = read.Buffer;
            if (!started && !buffer.IsEmpty)
            {
                started = true;
                timeout.CancelAfter(kestrel.Limits.RequestHeadersTimeout);
            }

            var verdict = WebSocketHandshake.Read(buffer, headLimits, out var upgrade);
            if (verdict == HandshakeVerdict.NeedMore && !read.IsCompleted && !read.IsCanceled)
            {
                input.AdvanceTo(buffer.Start, buffer.End);
                continue;
            }

            if (verdict != HandshakeVerdict.Upgrade || drainer.IsStopping || !hosts.Allows(upgrade!.Host)
                || !origins.Allows("http", upgrade.Host, upgrade.Origin))
            {
                // Unexamined, so the HTTP stack's first read returns these bytes at once.
                input.AdvanceTo(buffer.Start, buffer.Start);
                return (null, false);
            }

            input.AdvanceTo(buffer.GetPosition(upgrade.HeadLength));
            return (upgrade, false);
        }
    }

    /// <summary>Kestrel's answer to a head that did not arrive within <c>RequestHeadersTimeout</c>.</summary>
    private static async Task RequestTimeoutAsync(ConnectionContext connection, KestrelServerOptions kestrel)
    {
        var response = "HTTP/1.1 408 Request Timeout\r\nContent-Length: 0\r\nConnection: close\r\n"
            + $"Date: {DateTimeOffset.UtcNow.ToString("r", CultureInfo.InvariantCulture)}\r\n"
            + (kestrel.AddServerHeader ? "Server: Kestrel\r\n" : string.Empty) + "\r\n";
        try
        {
            await connection.Transport.Output.WriteAsync(Encoding.ASCII.GetBytes(response), connection.ConnectionClosed);
        }
        catch (Exception ex) when (ex is IOException or OperationCanceledException or ConnectionResetException)
        {
            // The client is gone already; there is nobody left to tell.
        }
    }
}
