using Chat.Server.Backplane;
using Chat.Server.Hosting;
using Chat.Server.Rooms;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace Chat.Server.Registry;

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

        builder.AddChatBackplane();
        builder.AddChatRegistry();
        builder.Services.AddSingleton<RedisOutage>();
        builder.Services.AddHealthChecks().AddCheck<RedisHealthCheck>("redis", tags: [ChatServiceExtensions.ReadyTag]);
        return builder;
    }

    /// <summary>The cluster-wide registry of rooms, nicknames and presence, and this node's membership of the cluster.</summary>
    private static void AddChatRegistry(this IHostApplicationBuilder builder)
    {
        // This node's own view stays in memory behind the cluster registry.
        builder.Services.RemoveAll<IRoomRegistry>();
        builder.Services.TryAddSingleton<InMemoryRoomRegistry>();
        builder.Services.AddSingleton<RedisRoomRegistry>();
        builder.Services.AddSingleton<IRoomRegistry>(services => services.GetRequiredService<RedisRoomRegistry>());
        builder.Services.AddHostedService<ClusterMembership>();
    }
}
