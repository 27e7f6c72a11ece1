using Chat.Server.Doors.Internal;
using Chat.Server.Hosting;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Chat.Server.Doors;

/// <summary>
/// The doors: plain WebSocket and TCP dialects for clients that speak no SignalR, each a thin adapter
/// onto the hub through <see cref="DoorHubConnections"/>.
/// </summary>
public static class DoorServiceExtensions
{
    /// <summary>The doors' services and, unless <c>Chat:Tcp:Port</c> is 0, the TCP door's Kestrel endpoint.</summary>
    public static IHostApplicationBuilder AddChatDoors(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<DoorHubConnections>();
        builder.Services.AddSingleton<DoorWebSocketAccept>();
        builder.Services.AddSingleton<RoomDoorEndpoints>();
        builder.Services.AddSingleton<WebSocketDoor>();
        builder.Services.AddOptions<TcpDoorOptions>().BindConfiguration(TcpDoorOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();

        var tcp = builder.Configuration.GetSection(TcpDoorOptions.SectionName).Get<TcpDoorOptions>() ?? new TcpDoorOptions();
        if (tcp.Enabled)
        {
            // Kestrel listens on the port (its address written as http:// only because Kestrel takes
            // addresses as URLs); every connection goes to the door, never to HTTP.
            KestrelEndpoints.AddSidePort(builder, TcpDoorOptions.EndpointName, $"http://{tcp.Host}:{tcp.Port}", tcp.Port, listen => listen.UseConnectionHandler<TcpDoor>());
        }

        return builder;
    }

    /// <summary>Every door's endpoints (the TCP door needs no route). WebSockets are accepted by the middleware <c>UseChatTransport</c> adds.</summary>
    public static WebApplication MapChatDoors(this WebApplication app)
    {
        app.Map(WebSocketDoor.Path, app.Services.GetRequiredService<WebSocketDoor>().HandleAsync);
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
