namespace Chat.Server.Rooms;

/// <summary>Wires the rooms.</summary>
public static class RoomsServiceExtensions
{
    /// <summary>Rooms, nicknames and presence on this server.</summary>
    public static IHostApplicationBuilder AddChatRooms(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<RoomsOptions>().BindConfiguration(RoomsOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<IRoomRegistry, InMemoryRoomRegistry>();
        builder.Services.AddSingleton<PresenceAnnouncer>();
        builder.Services.AddSingleton<TypingThrottle>();
        builder.Services.AddHostedService<LobbyBroadcaster>();
        return builder;
    }
}
