using Chat.Server.Doors.Internal;

namespace Chat.Server.Doors;

/// <summary>
/// The doors: plain WebSocket and TCP dialects for clients that speak no SignalR, each a thin adapter
/// onto the hub through <see cref="DoorHubConnections"/>.
/// </summary>
public static class DoorServiceExtensions
{
    public static IHostApplicationBuilder AddChatDoors(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<DoorHubConnections>();
        builder.Services.AddSingleton<RoomDoorEndpoints>();
        return builder;
    }

    /// <summary>Every door's endpoints. WebSockets are accepted by the middleware <c>UseChatTransport</c> adds.</summary>
    public static WebApplication MapChatDoors(this WebApplication app)
    {
        MapRoomDoors(app);
        return app;
    }

    /// <summary>The room doors: <c>/ws/chat/{room}</c> and <c>/ws/lobby</c> (seed 003's JSON), <c>/chat/{room}</c> (seed 004's text).</summary>
    private static void MapRoomDoors(WebApplication app)
    {
        var doors = app.Services.GetRequiredService<RoomDoorEndpoints>();
        app.Map("/ws/chat/{room}", doors.JsonRoomAsync);
        app.Map("/ws/lobby", doors.LobbyAsync);
        app.Map("/chat/{room}", doors.TextRoomAsync);
    }
}
