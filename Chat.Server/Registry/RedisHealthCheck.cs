using Chat.Server.Backplane;
using Chat.Server.Hubs;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Chat.Server.Registry;

/// <summary>
/// Degraded, not unhealthy, while Redis is away: the node still serves its own clients (and stores
/// every message), so a load balancer should keep it; only other nodes do not see it for a while.
/// </summary>
internal sealed class RedisHealthCheck(RedisConnection redis, RedisRoomRegistry registry, HubLifetimeManager<ChatHub> hub) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var backplaneRegistered = hub is not ClusterHubLifetimeManager<ChatHub> cluster || cluster.IsRegistered;
        var result = (redis.IsAvailable, registry.Node.NeedsResync || !backplaneRegistered) switch
        {
            (false, _) => HealthCheckResult.Degraded("Redis does not answer: serving this node's clients only."),
            (true, true) => HealthCheckResult.Degraded("Redis is back; this node's state and subscriptions are being registered again."),
            _ => HealthCheckResult.Healthy("Redis answers and holds this node's state."),
        };
        return Task.FromResult(result);
    }
}
