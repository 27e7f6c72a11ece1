using Chat.Server.Hosting;
using Chat.Server.Transport;
using Microsoft.Extensions.Options;

namespace Chat.Server.Doors.Internal;

/// <summary>
/// The HTTP side of the room doors: a WebSocket request only, not while the server stops (503), from
/// an allowed origin (403, as on the hub's path); then the socket is accepted and handed to its session.
/// </summary>
internal sealed class RoomDoorEndpoints(
    DoorHubConnections doors,
    OriginCheck origins,
    ConnectionDrainer drainer,
    ChatMetrics metrics,
    IOptions<ChatLimitsOptions> limits,
    TimeProvider time,
    ILogger<RoomDoorEndpoints> logger)
{
    // /ws/chat/{room}: seed 003's JSON in one room.
    public Task JsonRoomAsync(HttpContext context) =>
        AcceptAsync(context, JsonRoomDialect.RoomDoor, socket =>
            new RoomDoorSession(JsonRoomDialect.Instance, socket, doors, time, logger).RunAsync(RoomOf(context), DoorUser.Of(context), context.RequestAborted));

    // /ws/lobby: seed 003's rooms_update.
    public Task LobbyAsync(HttpContext context) =>
        AcceptAsync(context, JsonRoomDialect.LobbyDoor, socket =>
            new LobbyDoorSession(socket, doors, time, logger).RunAsync(DoorUser.Of(context), context.RequestAborted));

    // /chat/{room}: seed 004's text lines.
    public Task TextRoomAsync(HttpContext context) =>
        AcceptAsync(context, TextRoomDialect.Instance.Door, socket =>
            new RoomDoorSession(TextRoomDialect.Instance, socket, doors, time, logger).RunAsync(RoomOf(context), DoorUser.Of(context), context.RequestAborted));

    private static string? RoomOf(HttpContext context) => context.GetRouteValue("room") as string;

    private async Task AcceptAsync(HttpContext context, string door, Func<DoorSocket, Task> run)
    {
        if (!context.WebSockets.IsWebSocketRequest)
        {
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.Response.WriteAsync("This address takes WebSocket connections only.", context.RequestAborted);
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

        using var webSocket = await context.WebSockets.AcceptWebSocketAsync();
        using var socket = new DoorSocket(webSocket, door, limits.Value, metrics, time, logger);
        await run(socket);
        await socket.FinishAsync();
    }
}
