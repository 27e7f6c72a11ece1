using Chat.Server.Admin;
using Chat.Server.Hosting;
using Chat.Server.Hubs;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.HostFiltering;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Chat.Server.Transport;

/// <summary>What lies under the hub: Kestrel's limits and buffer pools, the direct WebSocket path and the guards in front of the hub.</summary>
public static class TransportServiceExtensions
{
    /// <summary>
    /// Kestrel's socket buffer pools, its limits from configuration, the direct WebSocket path and the
    /// host, origin, upgrade and connection guards. The host must register Kestrel before this (as
    /// <c>WebApplication.CreateBuilder</c> does): Kestrel takes the last <see cref="IMemoryPoolFactory{T}"/>
    /// registered, so ours is used only if it comes after Kestrel's. The guards read the limits
    /// <see cref="HubServiceExtensions.AddChatHub"/> binds.
    /// </summary>
    public static IHostApplicationBuilder AddChatTransport(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<TransportOptions>().BindConfiguration(TransportOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.AddSingleton<OriginCheck>();

        // The guards report floods and stalls to the admin screen's ring, which stays empty unless AddChatAdmin enables it.
        builder.Services.TryAddSingleton<RecentActivity>();
        builder.Services.AddSingleton<UpgradeCheck>();
        builder.Services.AddSingleton<HostCheck>();
        builder.Services.AddOptions<HostFilteringOptions>().PostConfigure<IConfiguration>(HostCheck.RestrictToLoopback);
        builder.Services.AddSingleton<ConnectionGuard>();
        builder.Services.AddHostedService(services => services.GetRequiredService<ConnectionGuard>());

        builder.Services.AddSingleton<DirectWebSockets>();
        builder.Services.AddSingleton<TransportMemoryPools>();
        builder.Services.AddSingleton<IMemoryPoolFactory<byte>>(services => services.GetRequiredService<TransportMemoryPools>());
        builder.Services.AddOptions<KestrelServerOptions>().Configure<IOptions<TransportOptions>, IOptions<SidePortOptions>>((kestrel, transport, sidePorts) =>
        {
            // Kestrel reads its endpoints from the "Kestrel" section but not its limits; both paths
            // answer slow and oversized heads by these.
            builder.Configuration.GetSection("Kestrel:Limits").Bind(kestrel.Limits);

            // Kestrel keeps one set of endpoint defaults: each listener is set up here, by its port. A
            // side port (metrics, the TCP door) runs what it asked for; the public ports take hub
            // WebSockets before HTTP when the direct path is on.
            kestrel.ConfigureEndpointDefaults(listen =>
            {
                if (listen.IPEndPoint?.Port is { } port && sidePorts.Value.Listeners.TryGetValue(port, out var sidePort))
                {
                    sidePort(listen);
                }
                else if (transport.Value.DirectWebSockets)
                {
                    listen.Use(next => listen.ApplicationServices.GetRequiredService<DirectWebSockets>().Route(next));
                }
            });
        });
        return builder;
    }

    /// <summary>The HTTP path's guards in front of the hub: WebSocket upgrades, their version, and the page's origin.</summary>
    public static WebApplication UseChatTransport(this WebApplication app)
    {
        // Kestrel takes the last IMemoryPoolFactory registered: ours only if Kestrel came first.
        if (app.Services.GetService<IMemoryPoolFactory<byte>>() is { } pools and not TransportMemoryPools)
        {
            app.Logger.ForeignMemoryPool(pools.GetType().Name);
        }

        app.UseWebSockets();
        app.Use(app.Services.GetRequiredService<UpgradeCheck>().InvokeAsync);
        app.Use(app.Services.GetRequiredService<OriginCheck>().InvokeAsync);
        return app;
    }
}
