using Chat.Protocol;

namespace Chat.Server.Admin.Internal;

/// <summary>
/// An action that must reach every node's connections, as it travels to the other nodes: the admin
/// screen's close-room and disconnect, and a room operator's change (read back from the database by every
/// node before its members see it; a kick or ban then takes the user out as close-room takes everybody).
/// </summary>
/// <param name="Action"><see cref="CloseRoom"/>, <see cref="DisconnectUser"/> or <see cref="RoomChanged"/>.</param>
/// <param name="Target">The room's canonical name, or the nickname.</param>
/// <param name="By">Who asked: the username (an operator's nickname), or the admin caller's address.</param>
/// <param name="Node">The node where it was asked (which has already acted on its own connections).</param>
/// <param name="Subject">For <see cref="RoomChanged"/> of a kick or ban: the user id whose connections leave the room.</param>
/// <param name="Change">For <see cref="RoomChanged"/>: the event the room's members see (the user leaving included), with the settings each node reads back in place of its <c>Info</c>; none when nothing is shown (an invitation, a new owner).</param>
internal sealed record AdminCommand(string Action, string Target, string By, string Node, string? Subject = null, RoomEvent? Change = null)
{
    public const string CloseRoom = "close-room";
    public const string DisconnectUser = "disconnect-user";
    public const string RoomChanged = "room-changed";
}
