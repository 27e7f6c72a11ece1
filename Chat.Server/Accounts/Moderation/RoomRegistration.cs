using Chat.Protocol;
using Chat.Server.Rooms;

namespace Chat.Server.Accounts.Moderation;

/// <summary>
/// A registered room, as stored: who owns it, its topic and modes, and its lists. Owned rooms are
/// registered when created; a room nobody owns gets a registration when a server administrator first
/// changes it. Immutable: a change is a new registration read back from the store.
/// </summary>
/// <param name="Owner">The username of the signed-in user who created the room; null for a room nobody owns.</param>
/// <param name="Key">The join key while <c>+k</c> is set.</param>
public sealed record RoomRegistration(
    string Room,
    string? Owner,
    string? Topic,
    bool InviteOnly,
    string? Key,
    bool Moderated,
    DateTimeOffset CreatedAt,
    IReadOnlyList<RoomEntry> Entries)
{
    // Joins and sends in a moderated room ask these on every call: a set, not a scan of the lists.
    private readonly HashSet<(RoomList, string)> _subjects = [.. Entries.Select(entry => (entry.List, entry.Subject))];

    /// <summary>Whether the user id is on the list.</summary>
    public bool Has(RoomList list, string subject) => _subjects.Contains((list, subject));

    /// <summary>Whether the username is the owner's (compared as nicknames are).</summary>
    public bool IsOwner(string? username) =>
        username is not null && Owner is not null && Nickname.Key(username) == Nickname.Key(Owner);

    /// <summary>The names on a list, in the order added.</summary>
    public IReadOnlyList<string> Names(RoomList list) => [.. Entries.Where(entry => entry.List == list).Select(entry => entry.Name)];

    /// <summary>What every member may know of these settings (never the key).</summary>
    public RoomInfo Info() => new(
        Room,
        Topic,
        Owner,
        [.. Entries.Where(entry => entry.List == RoomList.Operator && !IsOwner(entry.Name)).Select(entry => entry.Name)],
        Names(RoomList.Voiced),
        InviteOnly,
        Key is not null,
        Moderated);

    /// <summary>Whether the caller acts as an operator here: a server administrator, the owner, or a signed-in operator.</summary>
    public bool IsOperator(RoomActor actor) =>
        actor.Administrator
        || (actor.Account is { } account && (IsOwner(account) || Has(RoomList.Operator, ChatUser.UserIdOf(account))));

    /// <summary>Whether the caller may speak: not banned, and in a moderated room an operator or voiced.</summary>
    public bool MaySpeak(RoomActor actor) =>
        !Has(RoomList.Banned, actor.UserId) && (!Moderated || Has(RoomList.Voiced, actor.UserId) || IsOperator(actor));
}
