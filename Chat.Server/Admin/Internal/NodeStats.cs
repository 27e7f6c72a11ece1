namespace Chat.Server.Admin.Internal;

/// <summary>One node as the admin screen lists it; in a cluster each node publishes its own every heartbeat.</summary>
/// <param name="Health">Healthy, Degraded or Unhealthy: the node's <c>/readyz</c>.</param>
internal sealed record NodeStats(
    string Id,
    string? Address,
    int Connections,
    string Health,
    double MessagesPerSecond,
    double DeliveriesPerSecond,
    DateTimeOffset StartedAt,
    DateTimeOffset SeenAt);
