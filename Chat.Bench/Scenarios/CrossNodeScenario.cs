using Chat.Bench.Load;
using Chat.Bench.Servers;
using Chat.Testing;

namespace Chat.Bench.Scenarios;

/// <summary>
/// <c>crossnode</c>: the fanout shape on a cluster of two nodes sharing a redis-server. Every sender is
/// on the first node and the other members of each room are split between both, so about half of all
/// deliveries cross Redis. The bare cluster is two bare hubs on Microsoft's Redis backplane
/// (<c>AddStackExchangeRedis</c>); ours is two Chat.Server nodes, each with its SQLite history (senders
/// on one node keep seq consistent). The CPU and memory reported are the two nodes' and Redis's together.
/// </summary>
public static class CrossNodeScenario
{
    public static async Task<FanoutResult> RunAsync(ServerLauncher launcher, HubDialect dialect, FanoutSettings settings, CancellationToken cancellationToken = default)
    {
        await using var redis = await launcher.StartRedisAsync(cancellationToken);
        var redisConfiguration = $"127.0.0.1:{redis.Port}";
        await using var first = await StartNodeAsync(launcher, dialect, redisConfiguration, "node A", cancellationToken);
        await using var second = await StartNodeAsync(launcher, dialect, redisConfiguration, "node B", cancellationToken);

        var layout = settings.Layout;
        Uri EndpointOf(int user) =>
            user < layout.Senders || (user / layout.Rooms) % 2 == 0 ? first.Address : second.Address;

        return await FanoutScenario.RunAsync($"{dialect.Name}, 2 nodes + Redis", dialect, [first, second, redis], EndpointOf, settings, cancellationToken);
    }

    private static Task<ServerProcess> StartNodeAsync(ServerLauncher launcher, HubDialect dialect, string redis, string name, CancellationToken cancellationToken)
    {
        if (dialect != HubDialect.Ours)
        {
            return launcher.StartBareAsync(redis, $"bare {name}", cancellationToken);
        }

        var cluster = new Dictionary<string, string>
        {
            ["Chat:Redis:Configuration"] = redis,
            ["Chat:Redis:Prefix"] = $"bench{Environment.ProcessId}",
        };
        return launcher.StartOursAsync(cluster, name, cancellationToken);
    }
}
