using System.Net.WebSockets;

namespace Chat.Server.Doors.Internal;

/// <summary>
/// <c>/ws</c>: seed 000's plain WebSocket chat. Each text frame is a line of the command language
/// (<see cref="LineSession"/>); the server answers with JSON objects (<see cref="JsonLineWriter"/>). The
/// nickname is <c>?name=</c> (else the server picks one), the key <c>?key=</c> as on the hub. The socket
/// is the room doors' <see cref="DoorSocket"/>, accepted as theirs are, so the size, UTF-8, flood and
/// stall rules are the same.
/// </summary>
internal sealed class WebSocketDoor(DoorHubConnections doors, DoorWebSocketAccept accept, ILogger<WebSocketDoor> logger)
{
    public const string Path = "/ws";

    public const string Name = "ws";

    private const string BinarySentence = "Binary frames are not accepted: send commands and messages as text.";

    public Task HandleAsync(HttpContext context) =>
        accept.AcceptAsync(context, Name, "This is a WebSocket endpoint: connect with ws://HOST/ws?name=NICKNAME.", (socket, user) =>
            RunAsync(socket, user, context.RequestAborted));

    private async Task RunAsync(DoorSocket socket, DoorUser user, CancellationToken aborted)
    {
        var writer = new JsonLineWriter(socket);
        LineSession session;
        try
        {
            session = await LineSession.ConnectAsync(doors, Name, user.Nickname, user.Key, user.AccessToken, user.Remote, writer, aborted);
        }
        catch (DoorRefusedException ex)
        {
            // The client cannot read an HTTP refusal's body; it reads this, then the close.
            logger.Refused(Name, ex.Message);
            await writer.ErrorAsync(ex.Message, aborted);
            await socket.CloseAsync(WebSocketCloseStatus.PolicyViolation, ex.Message);
            return;
        }

        Task<bool> reading;
        await using (session)
        {
            await session.SystemAsync($"Welcome, {session.Nickname}! Type /help for commands, /join <room> to start.");
            reading = ReadAsync(socket, session, aborted);
            await Task.WhenAny(reading, session.Closed);
        }

        // The session has let what was queued for the user go out; now the close. After /quit: 1000. If the
        // server closed the hub connection, the client is told so and the reader ends with its answer (a
        // socket the client or one of its rules closed already stays as it is).
        if (reading.IsCompletedSuccessfully && reading.Result)
        {
            await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "Bye!");
        }
        else
        {
            // Why the server closed it: restarting (1012, reconnect), a rule with its sentence (1008), or simply closed (1001).
            var (status, reason) = session.Restarting ? (DoorSocket.ServiceRestart, "The server is restarting; reconnect.")
                : session.CloseReason is { } sentence ? (WebSocketCloseStatus.PolicyViolation, sentence)
                : (WebSocketCloseStatus.EndpointUnavailable, "The server closed the connection.");
            await socket.CloseAsync(status, reason);
        }

        await reading;
    }

    /// <summary>
    /// Reads lines until the user leaves (true) or the socket is closed (false): by the client, or by
    /// the socket for breaking one of its rules, with that rule's close code.
    /// </summary>
    private static async Task<bool> ReadAsync(DoorSocket socket, LineSession session, CancellationToken aborted)
    {
        while (await socket.ReceiveAsync(aborted) is { Kind: not DoorFrameKind.Closed } frame)
        {
            if (frame.Kind == DoorFrameKind.Binary)
            {
                await session.ErrorAsync(BinarySentence);
                continue;
            }

            if (!await session.HandleAsync(frame.Text, aborted))
            {
                return !session.Closed.IsCompleted;
            }
        }

        return false;
    }
}
