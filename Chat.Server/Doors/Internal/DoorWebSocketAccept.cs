using Chat.Server.Hosting;
using Chat.Server.Transport;
using Microsoft.Extensions.Options;

namespace Chat.Server.Doors.Internal;

/// <summary>
/// The HTTP side every WebSocket door shares: a WebSocket request only (else 400 with a hint for the
/// door's address), not while the server stops (503), from an allowed origin (403, as on the hub's
/// path); then the socket is accepted as a <see cref="DoorSocket"/>, handed to the door with who the
/// user asked to be (<see cref="DoorUser"/>), and ended once the door is done with it.
/// </summary>
internal sealed class DoorWebSocketAccept(
    OriginCheck origins,
    ConnectionDrainer drainer,
    ChatMetrics metrics,
    IOptions<ChatLimitsOptions> limits,
    TimeProvider time,
    ILogger<DoorWebSocketAccept> logger)
{
    public async Task AcceptAsync(HttpContext context, string door, string notWebSocket, Func<DoorSocket, DoorUser, Task> run)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.Response.WriteAsync(notWebSocket, context.RequestAborted);
            return;
        }

        if (drainer.IsStopping)
        {
            context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
            return;
        }

        if (await origins.RefuseForeignAsync(context))
        {
            return;
        }

        var user = DoorUser.Of(context);
        using var webSocket = await context.WebSockets.AcceptWebSocketAsync();
        using var socket = new DoorSocket(webSocket, door, limits.Value, metrics, time, logger);
        await run(socket, user);
        await socket.FinishAsync();
    }
}
