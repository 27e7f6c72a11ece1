using Chat.Bench.Load;
using Chat.Bench.Servers;

namespace Chat.Bench.Scenarios;

/// <summary>
/// <c>crossnode</c>: the fanout shape on a cluster of two Chat.Server nodes sharing a redis-server.
/// Every sender is on the first node and the other members of each room are split between both, so
/// about half of all deliveries cross Redis. Each node keeps its SQLite history (senders on one node
/// keep seq consistent); the CPU and memory reported are the two nodes' and Redis's together.
/// </summary>
public static class CrossNodeScenario
{
    public static async Task<FanoutResult> RunAsync(ServerLauncher launcher, FanoutSettings settings, CancellationToken cancellationToken = default)
    {
        await using var redis = await launcher.StartRedisAsync(cancellationToken);
        var cluster = new Dictionary<string, string>
        {
            ["Chat:Redis:Configuration"] = $"127.0.0.1:{redis.Port}",
            ["Chat:Redis:Prefix"] = $"bench{Environment.ProcessId}",
        };
        await using var first = await launcher.StartOursAsync(cluster, "node A", cancellationToken);
        await using var second = await launcher.StartOursAsync(cluster, "node B", cancellationToken);

        var layout = settings.Layout;
        Uri EndpointOf(int user) =>
            user < layout.Senders || (user / layout.Rooms) % 2 == 0 ? first.Address : second.Address;

        return await FanoutScenario.RunAsync("ours, 2 nodes + Redis", HubDialect.Ours, [first, second, redis], EndpointOf, settings, cancellationToken);
    }
}
