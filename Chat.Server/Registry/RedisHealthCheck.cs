using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Chat.Server.Registry;

/// <summary>
/// Degraded, not unhealthy, while Redis is away: the node still serves its own clients (and stores
/// every message), so a load balancer should keep it; only other nodes do not see it for a while.
/// </summary>
internal sealed class RedisHealthCheck(RedisOutage outage) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(outage.Reason is { } reason ? HealthCheckResult.Degraded(reason) : HealthCheckResult.Healthy("Redis answers and holds this node's state."));
}
