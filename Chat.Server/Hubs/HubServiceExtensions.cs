using Chat.Protocol;
using Chat.Server.Accounts;
using Chat.Server.Admin;
using Chat.Server.Hosting;
using Chat.Server.Hubs.Internal;
using Chat.Server.Transport;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Chat.Server.Hubs;

/// <summary>Wires the SignalR hub and maps its endpoint.</summary>
public static class HubServiceExtensions
{
    /// <summary>The SignalR hub, its limits and its counters.</summary>
    public static IHostApplicationBuilder AddChatHub(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<ChatLimitsOptions>().BindConfiguration(ChatLimitsOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton(TimeProvider.System);
        builder.Services.AddSingleton<ChatMetrics>();

        // The hub reports connects and disconnects to the admin screen's ring, which stays empty unless AddChatAdmin enables it.
        builder.Services.TryAddSingleton<RecentActivity>();
        builder.Services.AddSingleton<IUserIdProvider, ChatUserIdProvider>();
        builder.Services.AddSingleton<TracingHubFilter>();
        builder.Services.AddSingleton<RateLimitFilter>();
        builder.Services.AddSingleton<DirectMessageRetryCache>();
        builder.Services.AddSingleton<RoomDeparture>();
        builder.Services.AddSingleton<HubPipeline>();
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
            hub.AddFilter<TracingHubFilter>();
            hub.AddFilter<RateLimitFilter>();
        });

        // Shutdown: the hub refuses connections while the drainer tells the open ones to go.
        builder.Services.AddSingleton<ConnectionDrainer>();
        builder.Services.AddHostedService(services => services.GetRequiredService<ConnectionDrainer>());
        return builder;
    }

    /// <summary>
    /// The hub at <see cref="ChatEndpoints.HubPath"/>, on the HTTP path (<c>MapConnections</c>) and on the
    /// direct WebSocket path, both through one connection pipeline: <see cref="ConnectionGuard"/>, then
    /// <see cref="HubSignIn"/> (the access token, checked in this one place for every path), then the hub.
    /// </summary>
    public static WebApplication MapChatHub(this WebApplication app)
    {
        var limits = app.Services.GetRequiredService<IOptions<ChatLimitsOptions>>().Value;
        var guard = app.Services.GetRequiredService<ConnectionGuard>();
        var signIn = app.Services.GetRequiredService<HubSignIn>();

        // MapHub with two connection middlewares in front of the hub: the guard that watches each
        // connection's transport, and the sign-in that makes a valid access token the connection's user.
        var transport = new HttpConnectionDispatcherOptions
        {
            // Bounded buffers both ways: a client that stops reading holds at most this much, and
            // never holds up anyone else's delivery.
            TransportMaxBufferSize = limits.OutgoingBufferBytes,
            ApplicationMaxBufferSize = limits.MaxMessageBytes * 2L,
        };
        void Watched(IConnectionBuilder pipeline)
        {
            pipeline.Use(guard.Watch);
            pipeline.Use(signIn.Authenticate);
            pipeline.UseHub<ChatHub>();
        }

        app.MapConnections(ChatEndpoints.HubPath, transport, Watched)
            .WithMetadata(new HubMetadata(typeof(ChatHub)));

        // The same pipeline for WebSockets that Kestrel hands over before HTTP (Chat:Transport) and for the doors.
        var pipeline = new ConnectionBuilder(app.Services);
        Watched(pipeline);
        app.Services.GetRequiredService<HubPipeline>().Use(pipeline.Build());
        return app;
    }
}
