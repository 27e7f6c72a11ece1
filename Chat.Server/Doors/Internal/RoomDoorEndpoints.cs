namespace Chat.Server.Doors.Internal;

/// <summary>
/// The room doors' endpoints: each accepts its WebSocket through <see cref="DoorWebSocketAccept"/> (the
/// refusals every door shares) and hands it to its session.
/// </summary>
internal sealed class RoomDoorEndpoints(DoorHubConnections doors, DoorWebSocketAccept accept, TimeProvider time, ILogger<RoomDoorEndpoints> logger)
{
    private const string NotWebSocket = "This address takes WebSocket connections only.";

    // /ws/chat/{room}: seed 003's JSON in one room.
    public Task JsonRoomAsync(HttpContext context) =>
        accept.AcceptAsync(context, JsonRoomDialect.RoomDoor, NotWebSocket, (socket, user) =>
            new RoomDoorSession(JsonRoomDialect.Instance, socket, doors, time, logger).RunAsync(RoomOf(context), user, context.RequestAborted));

    // /ws/lobby: seed 003's rooms_update.
    public Task LobbyAsync(HttpContext context) =>
        accept.AcceptAsync(context, JsonRoomDialect.LobbyDoor, NotWebSocket, (socket, user) =>
            new LobbyDoorSession(socket, doors, time, logger).RunAsync(user, context.RequestAborted));

    // /chat/{room}: seed 004's text lines.
    public Task TextRoomAsync(HttpContext context) =>
        accept.AcceptAsync(context, TextRoomDialect.Instance.Door, NotWebSocket, (socket, user) =>
            new RoomDoorSession(TextRoomDialect.Instance, socket, doors, time, logger).RunAsync(RoomOf(context), user, context.RequestAborted));

    private static string? RoomOf(HttpContext context) => context.GetRouteValue("room") as string;
}
