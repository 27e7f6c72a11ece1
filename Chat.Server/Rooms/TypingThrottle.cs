using System.Collections.Concurrent;

namespace Chat.Server.Rooms;

/// <summary>Passes on at most one typing notice per user per room every <see cref="Interval"/>.</summary>
public sealed class TypingThrottle(TimeProvider time)
{
    public static readonly TimeSpan Interval = TimeSpan.FromSeconds(2);

    private readonly ConcurrentDictionary<(string UserId, string Room), long> _lastPassed = new();

    public bool TryPass(string userId, string room)
    {
        var now = time.GetTimestamp();
        var key = (userId, room);
        while (true)
        {
            if (!_lastPassed.TryGetValue(key, out var last))
            {
                if (_lastPassed.TryAdd(key, now))
                {
                    return true;
                }

                continue;
            }

            if (time.GetElapsedTime(last, now) < Interval)
            {
                return false;
            }

            if (_lastPassed.TryUpdate(key, now, last))
            {
                return true;
            }
        }
    }

    /// <summary>Drops the user's entry for a room it left, so the table only holds rooms people are in.</summary>
    public void Forget(string userId, string room) => _lastPassed.TryRemove((userId, room), out _);
}
