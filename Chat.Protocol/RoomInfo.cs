namespace Chat.Protocol;

/// <summary>
/// What every member may know about a room's settings: its topic, who runs it and its modes. Names are
/// usernames for the owner and operators (a signed-in user's nickname is their username) and nicknames for
/// voiced users. The key itself is never here; operators read it with <c>GetRoomSettings</c>.
/// </summary>
/// <param name="Owner">The signed-in user who created the room; null for a room nobody owns.</param>
/// <param name="Operators">The operators other than the owner (the owner and server administrators act as operators too).</param>
/// <param name="InviteOnly"><c>+i</c>: only invited users (and operators) may join.</param>
/// <param name="KeyRequired"><c>+k</c>: joining needs the key (<c>/join room key</c>).</param>
/// <param name="Moderated"><c>+m</c>: only operators and voiced users may speak.</param>
public sealed record RoomInfo(
    string Room,
    string? Topic,
    string? Owner,
    IReadOnlyList<string> Operators,
    IReadOnlyList<string> Voiced,
    bool InviteOnly,
    bool KeyRequired,
    bool Moderated)
{
    /// <summary>A room with no stored settings: nobody owns it, no topic, no modes.</summary>
    public static RoomInfo Unowned(string room) => new(room, null, null, [], [], false, false, false);
}
