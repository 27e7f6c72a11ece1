using Chat.Protocol;
using Chat.Server.History;
using Chat.Server.Hubs;
using Chat.Server.Rooms;
using Microsoft.AspNetCore.SignalR;

namespace Chat.Server.Hosting;

/// <summary>The wiring Program.cs reads as a table of contents.</summary>
public static class ChatServiceExtensions
{
    /// <summary>Message history: the SQLite store by default.</summary>
    public static IHostApplicationBuilder AddChatHistory(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<HistoryOptions>().BindConfiguration(HistoryOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<SqliteMessageStore>();
        builder.Services.AddSingleton<IMessageStore>(services => services.GetRequiredService<SqliteMessageStore>());
        builder.Services.AddHostedService<HistoryInitializer>();
        builder.Services.AddSingleton<MessageLog>();
        builder.Services.AddSingleton<DirectMessageLog>();
        return builder;
    }

    /// <summary>Rooms, nicknames and presence on this server.</summary>
    public static IHostApplicationBuilder AddChatRooms(this IHostApplicationBuilder builder)
    {
        builder.Services.AddSingleton<IRoomRegistry, InMemoryRoomRegistry>();
        builder.Services.AddSingleton<TypingThrottle>();
        builder.Services.AddHostedService<LobbyBroadcaster>();
        return builder;
    }

    /// <summary>The SignalR hub and its limits.</summary>
    public static IHostApplicationBuilder AddChatHub(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ChatLimitsOptions>().BindConfiguration(ChatLimitsOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<IUserIdProvider, ChatUserIdProvider>();
        builder.Services.AddSignalR();
        return builder;
    }

    /// <summary>The hub endpoint and the health probe.</summary>
    public static WebApplication MapChat(this WebApplication app)
    {
        app.UseWebSockets();
        app.MapHub<ChatHub>(ChatEndpoints.HubPath);
        app.MapGet("/healthz", () => Results.Text("ok"));
        return app;
    }
}
