using Chat.Server.Backplane;
using Chat.Server.Hubs;
using Microsoft.AspNetCore.SignalR;

namespace Chat.Server.Registry;

/// <summary>
/// Whether this node is cut off from the cluster: Redis does not answer, or it answers again and the
/// node is still registering its state and subscriptions with it. <c>/readyz</c> says Degraded and the
/// <c>chat.redis.degraded</c> gauge says 1 for the same reasons.
/// </summary>
/// <remarks>
/// The hub lifetime manager is looked up when first asked, not injected: the hub's protocol counts
/// refusals on <see cref="Hosting.ChatMetrics"/>, which observes this, and the cluster's manager needs
/// the hub's protocols, so injecting it would close a circle.
/// </remarks>
public sealed class RedisOutage(RedisConnection redis, RedisRoomRegistry registry, IServiceProvider services)
{
    private HubLifetimeManager<ChatHub>? _hub;

    public bool IsDegraded => Reason is not null;

    /// <summary>Why the node is degraded, for a person; null when it is not.</summary>
    public string? Reason =>
        !redis.IsAvailable ? "Redis does not answer: serving this node's clients only."
        : registry.Node.NeedsResync || (Hub is ClusterHubLifetimeManager<ChatHub> cluster && !cluster.IsRegistered)
            ? "Redis is back; this node's state and subscriptions are being registered again."
            : null;

    /// <summary>The time Redis has not answered this node since it started (the outages, and the wait for a first answer).</summary>
    public TimeSpan TimeDegraded => redis.UnavailableTotal;

    private HubLifetimeManager<ChatHub> Hub => _hub ??= services.GetRequiredService<HubLifetimeManager<ChatHub>>();
}
