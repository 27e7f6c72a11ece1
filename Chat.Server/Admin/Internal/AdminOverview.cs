using Chat.Protocol;

namespace Chat.Server.Admin.Internal;

/// <summary>
/// <c>GET /admin/api/overview</c>: everything the admin screen shows, as of <paramref name="At"/>.
/// Names, counts and times only: no message text is anywhere in it.
/// </summary>
/// <param name="Node">The node that answered; <paramref name="Traffic"/>, <paramref name="Rejections"/> and <paramref name="Recent"/> are its own.</param>
internal sealed record AdminOverview(
    string Node,
    DateTimeOffset At,
    IReadOnlyList<NodeStats> Nodes,
    IReadOnlyList<RoomSummary> Rooms,
    TrafficSeries Traffic,
    IReadOnlyDictionary<string, long> Rejections,
    HealthView Health,
    IReadOnlyList<ActivityEntry> Recent);
