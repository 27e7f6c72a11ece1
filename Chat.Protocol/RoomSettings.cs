namespace Chat.Protocol;

/// <summary>What <c>GetRoomSettings</c> returns to an operator: the room's settings with its key, bans and invitations.</summary>
/// <param name="Key">The join key while <c>+k</c> is set; otherwise null.</param>
/// <param name="Banned">Who is banned, by the name they had when banned.</param>
/// <param name="Invited">Who holds an invitation (kept until they are kicked or banned), by name.</param>
public sealed record RoomSettings(RoomInfo Info, string? Key, IReadOnlyList<string> Banned, IReadOnlyList<string> Invited);
