using System.Net;
using System.Net.WebSockets;
using System.Text;
using Chat.Server.Hosting;
using Chat.Server.Transport;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Options;

namespace Chat.Server.Doors.Internal;

/// <summary>
/// <c>/ws</c>: seed 000's plain WebSocket chat. Each text frame is a line of the command language
/// (<see cref="LineSession"/>); the server answers with JSON objects (<see cref="JsonLineWriter"/>). The
/// nickname is <c>?name=</c> (else the server picks one), the key <c>?key=</c> as on the hub.
/// </summary>
internal sealed class WebSocketDoor(
    DoorHubConnections doors,
    OriginCheck origins,
    ConnectionDrainer drainer,
    IOptions<ChatLimitsOptions> limits,
    ILogger<WebSocketDoor> logger)
{
    public const string Path = "/ws";

    public const string Name = "ws";

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    public async Task HandleAsync(HttpContext context)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.Response.WriteAsync("This is a WebSocket endpoint: connect with ws://HOST/ws?name=NICKNAME.", context.RequestAborted);
            return;
        }

        if (await origins.RefuseForeignAsync(context))
        {
            return;
        }

        if (drainer.IsStopping)
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return;
        }

        var request = ConnectionRequest.Of(context.Features, context);
        var remote = context.Connection.RemoteIpAddress is { } address ? new IPEndPoint(address, context.Connection.RemotePort) : null;
        using var socket = await context.WebSockets.AcceptWebSocketAsync();
        var writer = new JsonLineWriter(socket);
        LineSession session;
        try
        {
            session = await LineSession.ConnectAsync(doors, Name, NullIfEmpty(request.Name), NullIfEmpty(request.Key), remote, writer, context.RequestAborted);
        }
        catch (DoorRefusedException ex)
        {
            // The client cannot read an HTTP refusal's body; it reads this, then the close.
            logger.Refused(Name, ex.Message);
            await writer.ErrorAsync(ex.Message, context.RequestAborted);
            await CloseAsync(socket, WebSocketCloseStatus.PolicyViolation, "Refused.");
            return;
        }

        var (status, reason) = await RunAsync(socket, session, context.RequestAborted);
        await CloseAsync(socket, status, reason);
    }

    private async Task<(WebSocketCloseStatus Status, string Reason)> RunAsync(WebSocket socket, LineSession session, CancellationToken cancellationToken)
    {
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        await using (session)
        {
            await session.SystemAsync($"Welcome, {session.Nickname}! Type /help for commands, /join <room> to start.");
            var reading = ReadAsync(socket, session, stop.Token);
            var ended = await Task.WhenAny(reading, session.Closed);
            if (ended == reading)
            {
                return await reading;
            }

            await stop.CancelAsync();
            await session.Closed;
            return session.Restarting ? (DoorSocket.ServiceRestart, "The server is restarting; reconnect.")
                : session.CloseReason is { } reason ? (WebSocketCloseStatus.PolicyViolation, reason)
                : (WebSocketCloseStatus.EndpointUnavailable, "The server closed the connection.");
        }
    }

    /// <summary>Reads frames until the user leaves, closes, or breaks a rule; returns how to close.</summary>
    private async Task<(WebSocketCloseStatus Status, string Reason)> ReadAsync(WebSocket socket, LineSession session, CancellationToken cancellationToken)
    {
        var buffer = new byte[limits.Value.MaxMessageBytes];
        try
        {
            while (true)
            {
                var count = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    if (count == buffer.Length)
                    {
                        logger.Oversized(Name);
                        return (WebSocketCloseStatus.MessageTooBig, $"Messages may be at most {buffer.Length} bytes.");
                    }

                    result = await socket.ReceiveAsync(buffer.AsMemory(count), cancellationToken);
                    count += result.Count;
                }
                while (!result.EndOfMessage && result.MessageType != WebSocketMessageType.Close);

                switch (result.MessageType)
                {
                    case WebSocketMessageType.Close:
                        return (WebSocketCloseStatus.NormalClosure, "");
                    case WebSocketMessageType.Binary:
                        await session.ErrorAsync("Binary frames are not accepted: send commands and messages as text.");
                        continue;
                }

                string line;
                try
                {
                    line = StrictUtf8.GetString(buffer, 0, count);
                }
                catch (DecoderFallbackException)
                {
                    return (WebSocketCloseStatus.InvalidPayloadData, "Text must be UTF-8.");
                }

                if (!await session.HandleAsync(line, cancellationToken))
                {
                    return (WebSocketCloseStatus.NormalClosure, "Bye!");
                }
            }
        }
        catch (WebSocketException ex) when (ex.WebSocketErrorCode == WebSocketError.Faulted || socket.State != WebSocketState.Open)
        {
            // ASP.NET Core's WebSocket closes by itself on protocol errors (invalid UTF-8 with 1007).
            return (WebSocketCloseStatus.ProtocolError, "");
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or ConnectionResetException)
        {
            return (WebSocketCloseStatus.NormalClosure, "");
        }
    }

    private static async Task CloseAsync(WebSocket socket, WebSocketCloseStatus status, string reason)
    {
        if (socket.State is not (WebSocketState.Open or WebSocketState.CloseReceived))
        {
            return;
        }

        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        try
        {
            await socket.CloseOutputAsync(status, reason, timeout.Token);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException)
        {
            // The client is gone; nothing to tell it.
        }
    }

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
