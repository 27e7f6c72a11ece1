namespace Chat.Protocol;

/// <summary>
/// Members who joined or left a room, in the order the server saw them. Changes close together in
/// time arrive as one event, so a client applies them to the member list it got from <c>Join</c>:
/// a join of somebody already listed, or a leave of somebody not listed, changes nothing.
/// </summary>
public sealed record RoomMembersChanged(string Room, IReadOnlyList<MemberChange> Changes);
