using Chat.Server.Rooms;
using Microsoft.Extensions.Options;

namespace Chat.Server.Admin;

/// <summary>
/// This node's latest connects, disconnects, floods and stalls, for the admin screen: a bounded ring
/// (<see cref="AdminOptions.RecentActivityLimit"/>), kept only while the screen is enabled. The hub,
/// the rate limit filter and the connection guard report here where they log the same events.
/// </summary>
public sealed class RecentActivity(IOptions<AdminOptions> options, IRoomRegistry rooms, TimeProvider time)
{
    public const string Connect = "connect";
    public const string Disconnect = "disconnect";
    public const string Flood = "flood";
    public const string Stall = "stall";

    private readonly Queue<ActivityEntry> _entries = new();
    private readonly Lock _gate = new();
    private readonly bool _enabled = options.Value.Enabled;
    private readonly int _limit = options.Value.RecentActivityLimit;

    public void Connected(string connectionId, string nickname) => Add(Connect, connectionId, nickname, detail: null);

    public void Disconnected(string connectionId, string nickname, string reason) => Add(Disconnect, connectionId, nickname, reason);

    /// <summary>A connection kept calling <paramref name="method"/> too fast and is being closed; reported while it is still registered.</summary>
    public void Flooded(string connectionId, string method) => Add(Flood, connectionId, NicknameOf(connectionId), method);

    /// <summary>A connection stopped reading and is being closed; reported while it is still registered.</summary>
    public void Stalled(string connectionId) => Add(Stall, connectionId, NicknameOf(connectionId), detail: null);

    /// <summary>The remembered entries, newest first.</summary>
    public IReadOnlyList<ActivityEntry> Latest()
    {
        lock (_gate)
        {
            return [.. _entries.Reverse()];
        }
    }

    private string? NicknameOf(string connectionId) => _enabled ? rooms.GetNickname(connectionId) : null;

    private void Add(string kind, string connectionId, string? nickname, string? detail)
    {
        if (!_enabled)
        {
            return;
        }

        var entry = new ActivityEntry(time.GetUtcNow(), kind, connectionId, nickname, detail);
        lock (_gate)
        {
            if (_entries.Count == _limit)
            {
                _entries.Dequeue();
            }

            _entries.Enqueue(entry);
        }
    }
}
