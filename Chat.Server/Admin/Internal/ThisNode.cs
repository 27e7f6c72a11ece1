using Chat.Server.Registry;
using Chat.Server.Transport;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Chat.Server.Admin.Internal;

/// <summary>This node's id (the cluster's, when there is one), and its stats as of now.</summary>
internal sealed class ThisNode(
    IServer server,
    ConnectionGuard connections,
    TrafficRecorder traffic,
    HealthCheckService health,
    TimeProvider time,
    RedisConnection? redis = null)
{
    private readonly DateTimeOffset _startedAt = time.GetUtcNow();

    public string Id { get; } = redis?.NodeId ?? $"{Environment.MachineName}-{Environment.ProcessId}";

    /// <summary>The store's and Redis's checks, as <c>/readyz</c> runs them.</summary>
    public Task<HealthReport> CheckHealthAsync(CancellationToken cancellationToken = default) =>
        health.CheckHealthAsync(check => check.Tags.Contains(Hosting.ChatServiceExtensions.ReadyTag), cancellationToken);

    public NodeStats Stats(HealthStatus status)
    {
        var now = time.GetUtcNow();
        var series = traffic.Ring.Read(now);
        var address = server.Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
        return new NodeStats(Id, address, connections.Count, status.ToString(), series.ReceivedPerSecond, series.DeliveredPerSecond, _startedAt, now);
    }
}
