using Chat.Protocol;
using Chat.Server.History;
using Chat.Server.Hubs;
using Chat.Server.Rooms;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Chat.Server.Hosting;

/// <summary>The wiring Program.cs reads as a table of contents.</summary>
public static class ChatServiceExtensions
{
    /// <summary>Health checks with this tag decide <c>/readyz</c>; <c>/healthz</c> only says the process is alive.</summary>
    public const string ReadyTag = "ready";

    /// <summary>Message history: the SQLite store by default.</summary>
    public static IHostApplicationBuilder AddChatHistory(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<HistoryOptions>().BindConfiguration(HistoryOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<SqliteMessageStore>();
        builder.Services.AddSingleton<IMessageStore>(services => services.GetRequiredService<SqliteMessageStore>());
        builder.Services.AddHostedService<HistoryInitializer>();
        builder.Services.AddHealthChecks().AddCheck<MessageStoreHealthCheck>("store", tags: [ReadyTag]);
        builder.Services.AddSingleton<IMessageLog, MessageLog>();
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
        builder.Services.AddSingleton<ConnectionDrainer>();
        builder.Services.AddHostedService(services => services.GetRequiredService<ConnectionDrainer>());
        return builder;
    }

    /// <summary>The hub endpoint and the health probes.</summary>
    public static WebApplication MapChat(this WebApplication app)
    {
        app.UseWebSockets();

        // While stopping, refuse new hub connections outright, so a client that was just told to
        // reconnect goes elsewhere (or retries) instead of landing on a server about to close it.
        var drainer = app.Services.GetRequiredService<ConnectionDrainer>();
        app.Use((context, next) =>
        {
            if (drainer.IsStopping && context.Request.Path.StartsWithSegments(ChatEndpoints.HubPath))
            {
                context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                return Task.CompletedTask;
            }

            return next(context);
        });
        app.MapHub<ChatHub>(ChatEndpoints.HubPath);
        app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/readyz", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(ReadyTag),
            ResultStatusCodes =
            {
                [HealthStatus.Healthy] = StatusCodes.Status200OK,
                [HealthStatus.Degraded] = StatusCodes.Status200OK,
                [HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable,
            },
        });
        return app;
    }
}
