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
        return builder;
    }
}
