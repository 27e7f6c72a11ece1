using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Chat.Server.Scaleout;

/// <summary>
/// Degraded, not unhealthy, while Redis is away: the node still serves its own clients (and stores
/// every message), so a load balancer should keep it; only other nodes do not see it for a while.
/// </summary>
internal sealed class RedisHealthCheck(RedisConnection redis, RedisRoomRegistry registry) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var result = (redis.IsAvailable, registry.NeedsResync) switch
        {
            (false, _) => HealthCheckResult.Degraded("Redis does not answer: serving this node's clients only."),
            (true, true) => HealthCheckResult.Degraded("Redis is back; this node's state is being registered again."),
            _ => HealthCheckResult.Healthy("Redis answers and holds this node's state."),
        };
        return Task.FromResult(result);
    }
}
