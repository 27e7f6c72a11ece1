using Chat.Server.Hosting;
using Chat.Server.Rooms;
using Microsoft.AspNetCore.SignalR;
using Chat.Server.Scaleout.Internal;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using SignalRRedisOptions = Microsoft.AspNetCore.SignalR.StackExchangeRedis.RedisOptions;

namespace Chat.Server.Scaleout;

/// <summary>Turns a server into a node of a cluster that shares Redis; call it after the rooms are added.</summary>
public static class RedisDependencyInjectionExtensions
{
    /// <summary>Scale-out from configuration (<c>Chat:Redis</c>); does nothing when <c>Chat:Redis:Configuration</c> is empty.</summary>
    public static IHostApplicationBuilder AddChatScaleout(this IHostApplicationBuilder builder) =>
        builder.AddChatScaleout(configure: null);

    /// <summary>Scale-out over the Redis at <paramref name="redisConfiguration"/> (e.g. <c>localhost:6379</c>).</summary>
    public static IHostApplicationBuilder AddChatScaleout(this IHostApplicationBuilder builder, string redisConfiguration) =>
        builder.AddChatScaleout(options => options.Configuration = redisConfiguration);

    /// <summary>Scale-out from configuration, then <paramref name="configure"/>; does nothing when no Redis is configured.</summary>
    public static IHostApplicationBuilder AddChatScaleout(this IHostApplicationBuilder builder, Action<RedisOptions>? configure)
    {
        var effective = builder.Configuration.GetSection(RedisOptions.SectionName).Get<RedisOptions>() ?? new RedisOptions();
        configure?.Invoke(effective);
        if (string.IsNullOrWhiteSpace(effective.Configuration))
        {
            return builder;
        }

        var options = builder.Services.AddOptions<RedisOptions>().BindConfiguration(RedisOptions.SectionName);
        if (configure is not null)
        {
            options.Configure(configure);
        }

        // Every node sends the room list to its own lobby watchers after each change anywhere.
        options.Configure(redis => redis.NodeLocalGroups.Add(LobbyBroadcaster.GroupName)).ValidateDataAnnotations().ValidateOnStart();

        // Unless configured, presence is not collected per node: collected changes of one user on two
        // nodes could reach members out of order (docs/architecture.md, "Presence").
        builder.Services.Configure<RoomsOptions>(rooms => rooms.PresenceIntervalMilliseconds ??= 0);

        builder.Services.AddSingleton<RedisConnection>();
        builder.Services.AddHostedService(services => services.GetRequiredService<RedisConnection>());

        // Microsoft's Redis backplane, registered as its documentation says; the cluster layer around it
        // (ClusterHubLifetimeManager) takes the HubLifetimeManager slot and builds the official manager
        // itself, so it can build a new one after an outage. The official manager gets its own
        // multiplexer, set up as the registry's is (Scaleout/Internal/RedisConfiguration).
        builder.Services.AddSignalR().AddStackExchangeRedis();
        builder.Services.AddOptions<SignalRRedisOptions>().Configure<IOptions<RedisOptions>, RedisConnection>((backplane, chat, redis) =>
            backplane.Configuration = RedisConfiguration.ForBackplane(chat.Value, redis));
        builder.Services.AddSingleton(typeof(HubLifetimeManager<>), typeof(ClusterHubLifetimeManager<>));

        // This node's own view stays in memory behind the cluster registry.
        builder.Services.RemoveAll<IRoomRegistry>();
        builder.Services.TryAddSingleton<InMemoryRoomRegistry>();
        builder.Services.AddSingleton<RedisRoomRegistry>();
        builder.Services.AddSingleton<IRoomRegistry>(services => services.GetRequiredService<RedisRoomRegistry>());
        builder.Services.AddHostedService<ClusterMembership>();
        builder.Services.AddHealthChecks().AddCheck<RedisHealthCheck>("redis", tags: [ChatServiceExtensions.ReadyTag]);
        return builder;
    }
}
