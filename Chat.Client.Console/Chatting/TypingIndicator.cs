using Chat.Protocol;

namespace Chat.Client.Console.Chatting;

/// <summary>
/// Who is typing where, each shown for a few seconds after their last typing notice. The server passes on
/// one notice per user and room every 2 seconds, so someone typing steadily stays shown.
/// </summary>
internal sealed class TypingIndicator(TimeSpan shownFor)
{
    public static readonly TimeSpan DefaultShownFor = TimeSpan.FromSeconds(4);

    private readonly Lock _gate = new();
    private readonly List<(RoomPresence Typist, DateTimeOffset Until)> _typists = [];

    public void Started(RoomPresence typist, DateTimeOffset now)
    {
        lock (_gate)
        {
            RemoveLocked(typist.Room, typist.Nickname);
            _typists.Add((typist, now + shownFor));
        }
    }

    /// <summary>The typist sent their message or left: the notice has served its purpose.</summary>
    public bool Stopped(string room, string nickname)
    {
        lock (_gate)
        {
            return RemoveLocked(room, nickname);
        }
    }

    public void Renamed(string oldNickname, string newNickname)
    {
        lock (_gate)
        {
            for (var i = 0; i < _typists.Count; i++)
            {
                if (SameName(_typists[i].Typist.Nickname, oldNickname))
                {
                    _typists[i] = (_typists[i].Typist with { Nickname = newNickname }, _typists[i].Until);
                }
            }
        }
    }

    /// <summary>Those still typing at <paramref name="now"/>, in the order they started.</summary>
    public IReadOnlyList<RoomPresence> Current(DateTimeOffset now)
    {
        lock (_gate)
        {
            _typists.RemoveAll(entry => entry.Until <= now);
            return [.. _typists.Select(entry => entry.Typist)];
        }
    }

    /// <summary>When the next notice runs out, so the display can be refreshed then.</summary>
    public DateTimeOffset? NextExpiry
    {
        get
        {
            lock (_gate)
            {
                return _typists.Count == 0 ? null : _typists.Min(entry => entry.Until);
            }
        }
    }

    private static bool SameName(string left, string right) => string.Equals(left, right, StringComparison.OrdinalIgnoreCase);

    private bool RemoveLocked(string room, string nickname) =>
        _typists.RemoveAll(entry => entry.Typist.Room == room && SameName(entry.Typist.Nickname, nickname)) > 0;
}
