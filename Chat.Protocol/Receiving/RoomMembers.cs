using System.Text;

namespace Chat.Protocol.Receiving;

/// <summary>
/// A room's member list as a client knows it (the rule of docs/protocol.md, "Member lists", written once
/// for the .NET client and the server's doors): the snapshot from <c>Join</c>, then each
/// <c>MembersChanged</c> applied in order. The server batches changes, so one may repeat what the
/// snapshot already says (the client's own join, a join of somebody listed, a leave of somebody not
/// listed): those change nothing and are not reported. Changes that arrive while a join is in flight
/// are held (renames too) and replayed on top of its snapshot, which ends at the right list whichever
/// side of the snapshot they happened on. Nicknames compare as the page's <c>sameNickname</c> compares
/// them (see <see cref="NicknameComparer"/>); <see cref="List"/> is sorted, the page sorts when it shows
/// the list.
/// </summary>
public sealed class RoomMembers
{
    private readonly Lock _gate = new();
    private readonly HashSet<string> _members = new(NicknameComparer.Instance);
    private List<Held>? _held = [];

    public IReadOnlyList<string> List()
    {
        lock (_gate)
        {
            return [.. _members.Order(StringComparer.OrdinalIgnoreCase)];
        }
    }

    /// <summary>
    /// A rejoin is in flight: hold changes until its snapshot arrives. Anything held from an earlier
    /// attempt belonged to a lost connection; the new snapshot covers it.
    /// </summary>
    public void BeginJoin()
    {
        lock (_gate)
        {
            _held = [];
        }
    }

    /// <summary>Takes the join snapshot's members and replays what arrived meanwhile; returns the changes that changed the list.</summary>
    public IReadOnlyList<MemberChange> Start(IEnumerable<string> members)
    {
        lock (_gate)
        {
            _members.Clear();
            _members.UnionWith(members);
            var held = _held;
            _held = null;
            var effective = new List<MemberChange>();
            foreach (var item in held ?? [])
            {
                if (item.Rename is { } rename)
                {
                    RenameLocked(rename.OldNickname, rename.NewNickname);
                }
                else
                {
                    effective.AddRange(ApplyLocked(item.Changes!));
                }
            }

            return effective;
        }
    }

    /// <summary>Applies a server event; returns the changes that changed the list (none while a join is in flight).</summary>
    public IReadOnlyList<MemberChange> Apply(IReadOnlyList<MemberChange> changes)
    {
        lock (_gate)
        {
            if (_held is not null)
            {
                _held.Add(new Held(changes, null));
                return [];
            }

            return ApplyLocked(changes);
        }
    }

    /// <summary>Renames a member; true when the list changed (false for somebody not listed, and while a join is in flight: the rename is held).</summary>
    public bool Rename(string oldNickname, string newNickname)
    {
        lock (_gate)
        {
            if (_held is not null)
            {
                _held.Add(new Held(null, new NicknameChange(oldNickname, newNickname)));
                return false;
            }

            return RenameLocked(oldNickname, newNickname);
        }
    }

    private bool RenameLocked(string oldNickname, string newNickname)
    {
        if (!_members.Remove(oldNickname))
        {
            return false;
        }

        _members.Add(newNickname);
        return true;
    }

    private List<MemberChange> ApplyLocked(IReadOnlyList<MemberChange> changes)
    {
        var effective = new List<MemberChange>(changes.Count);
        foreach (var change in changes)
        {
            var changed = change.Joined ? _members.Add(change.Nickname) : _members.Remove(change.Nickname);
            if (changed)
            {
                effective.Add(change);
            }
        }

        return effective;
    }

    /// <summary>A server event that arrived while a join was in flight: member changes, or a rename.</summary>
    private sealed record Held(IReadOnlyList<MemberChange>? Changes, NicknameChange? Rename);

    /// <summary>
    /// Two nicknames are the same member when they are equal after NFKC and lower-casing, as in the page's
    /// <c>sameNickname</c>. The server's <c>Nickname.Key</c> starts the same way (then also folds
    /// look-alike letters), so names equal here are one name to the server and two members of a room never
    /// compare equal. <see cref="string.ToLowerInvariant()"/> is the server's lower-casing; it matches
    /// JavaScript's <c>toLowerCase</c> except where that expands a letter (a dotted capital I).
    /// </summary>
    private sealed class NicknameComparer : IEqualityComparer<string>
    {
        public static readonly NicknameComparer Instance = new();

        public bool Equals(string? x, string? y) => string.Equals(Fold(x), Fold(y), StringComparison.Ordinal);

        public int GetHashCode(string obj) => StringComparer.Ordinal.GetHashCode(Fold(obj));

        private static string Fold(string? nickname) => (nickname ?? string.Empty).Normalize(NormalizationForm.FormKC).ToLowerInvariant();
    }
}
