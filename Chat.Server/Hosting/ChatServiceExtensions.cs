using Chat.Protocol;
using Chat.Server.History;
using Chat.Server.Hubs;
using Chat.Server.Hubs.Internal;
using Chat.Server.Rooms;
using Chat.Server.Transport;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.AspNetCore.HostFiltering;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Chat.Server.Hosting;

/// <summary>The wiring Program.cs reads as a table of contents.</summary>
public static class ChatServiceExtensions
{
    /// <summary>Health checks with this tag decide <c>/readyz</c>; <c>/healthz</c> only says the process is alive.</summary>
    public const string ReadyTag = "ready";

    /// <summary>Message history: the SQLite store by default, PostgreSQL when <c>Chat:History:Provider</c> is <c>Postgres</c>.</summary>
    public static IHostApplicationBuilder AddChatHistory(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<HistoryOptions>().BindConfiguration(HistoryOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        if (builder.Configuration.GetValue<HistoryProvider>($"{HistoryOptions.SectionName}:{nameof(HistoryOptions.Provider)}") == HistoryProvider.Postgres)
        {
            // Shared by a cluster: seq is numbered in the database, not in this process.
            builder.Services.AddSingleton<PostgresMessageStore>();
            builder.Services.AddSingleton<IMessageStore>(services => services.GetRequiredService<PostgresMessageStore>());
            builder.Services.AddSingleton<IMessageLog, PostgresMessageLog>();
        }
        else
        {
            builder.Services.AddSingleton<SqliteMessageStore>();
            builder.Services.AddSingleton<IMessageStore>(services => services.GetRequiredService<SqliteMessageStore>());
            builder.Services.AddSingleton<IMessageLog, MessageLog>();
        }

        builder.Services.AddHostedService<HistoryInitializer>();
        builder.Services.AddHealthChecks().AddCheck<MessageStoreHealthCheck>("store", tags: [ReadyTag]);
        builder.Services.AddSingleton<DirectMessageLog>();
        return builder;
    }

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

    /// <summary>The SignalR hub, its limits and its counters.</summary>
    public static IHostApplicationBuilder AddChatHub(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ChatLimitsOptions>().BindConfiguration(ChatLimitsOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<ChatMetrics>();
        builder.Services.AddSingleton<IUserIdProvider, ChatUserIdProvider>();
        builder.Services.AddSingleton<RateLimitFilter>();
        builder.Services.AddSingleton<OriginCheck>();
        builder.Services.AddSingleton<UpgradeCheck>();
        builder.Services.AddSingleton<HostCheck>();
        builder.Services.AddOptions<HostFilteringOptions>().PostConfigure<IConfiguration>(HostCheck.RestrictToLoopback);
        builder.Services.AddSignalR();

        // SignalR's own handler, with a logger factory that does not log the hub's refusals as errors.
        builder.Services.AddSingleton(services => ActivatorUtilities.CreateInstance<HubConnectionHandler<ChatHub>>(
            services, new RefusalLoggerFactory(services.GetRequiredService<ILoggerFactory>())));
        builder.Services.AddSingleton<IHubProtocol, InboundGuardHubProtocol>();
        builder.Services.AddOptions<HubOptions>().Configure<IOptions<ChatLimitsOptions>>((hub, limits) =>
        {
            hub.MaximumReceiveMessageSize = limits.Value.MaxMessageBytes;
            hub.HandshakeTimeout = TimeSpan.FromSeconds(limits.Value.HandshakeTimeoutSeconds);
            hub.ClientTimeoutInterval = TimeSpan.FromSeconds(limits.Value.ClientTimeoutSeconds);
            hub.KeepAliveInterval = TimeSpan.FromSeconds(Math.Max(1, limits.Value.ClientTimeoutSeconds / 2.0));
            hub.EnableDetailedErrors = false;
            hub.AddFilter<RateLimitFilter>();
        });
        builder.Services.AddSingleton<ConnectionGuard>();
        builder.Services.AddHostedService(services => services.GetRequiredService<ConnectionGuard>());
        builder.Services.AddSingleton<ConnectionDrainer>();
        builder.Services.AddHostedService(services => services.GetRequiredService<ConnectionDrainer>());

        builder.Services.AddOptions<TransportOptions>().BindConfiguration(TransportOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<DirectWebSockets>();
        builder.Services.AddSingleton<TransportMemoryPools>();
        builder.Services.AddSingleton<IMemoryPoolFactory<byte>>(services => services.GetRequiredService<TransportMemoryPools>());
        builder.Services.AddOptions<KestrelServerOptions>().Configure<IOptions<TransportOptions>>((kestrel, transport) =>
        {
            // Kestrel reads its endpoints from the "Kestrel" section but not its limits; both paths
            // answer slow and oversized heads by these.
            builder.Configuration.GetSection("Kestrel:Limits").Bind(kestrel.Limits);
            if (transport.Value.DirectWebSockets)
            {
                kestrel.ConfigureEndpointDefaults(listen =>
                    listen.Use(next => listen.ApplicationServices.GetRequiredService<DirectWebSockets>().Route(next)));
            }
        });
        return builder;
    }

    /// <summary>The hub endpoint and the health probes.</summary>
    public static WebApplication MapChat(this WebApplication app)
    {
        // Kestrel takes the last IMemoryPoolFactory registered: ours only if Kestrel came first.
        if (app.Services.GetService<IMemoryPoolFactory<byte>>() is { } pools and not TransportMemoryPools)
        {
            app.Logger.ForeignMemoryPool(pools.GetType().Name);
        }

        app.UseWebSockets();
        app.Use(app.Services.GetRequiredService<UpgradeCheck>().InvokeAsync);
        var originCheck = app.Services.GetRequiredService<OriginCheck>();
        app.Use(originCheck.InvokeAsync);

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
        var limits = app.Services.GetRequiredService<IOptions<ChatLimitsOptions>>().Value;
        var guard = app.Services.GetRequiredService<ConnectionGuard>();

        // MapHub with one connection middleware in front of the hub: the guard that watches each
        // connection's transport.
        var transport = new HttpConnectionDispatcherOptions
        {
            // Bounded buffers both ways: a client that stops reading holds at most this much, and
            // never holds up anyone else's delivery.
            TransportMaxBufferSize = limits.OutgoingBufferBytes,
            ApplicationMaxBufferSize = limits.MaxMessageBytes * 2L,
        };
        void HubPipeline(IConnectionBuilder pipeline)
        {
            pipeline.Use(guard.Watch);
            pipeline.UseHub<ChatHub>();
        }

        app.MapConnections(ChatEndpoints.HubPath, transport, HubPipeline)
            .WithMetadata(new HubMetadata(typeof(ChatHub)));

        // The same pipeline for WebSockets that Kestrel hands over before HTTP (Chat:Transport).
        var direct = new ConnectionBuilder(app.Services);
        HubPipeline(direct);
        app.Services.GetRequiredService<DirectWebSockets>().UseHub(direct.Build());
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
