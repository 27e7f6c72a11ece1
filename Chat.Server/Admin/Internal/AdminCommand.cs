using Chat.Protocol;

namespace Chat.Server.Admin.Internal;

/// <summary>
/// An action that must reach every node's connections, as it travels to the other nodes: the admin
/// screen's close-room and disconnect, and a room operator's kick or ban (which take a user out of a
/// room the way close-room takes everybody out).
/// </summary>
/// <param name="Action"><see cref="CloseRoom"/>, <see cref="DisconnectUser"/> or <see cref="RemoveFromRoom"/>.</param>
/// <param name="Target">The room's canonical name, or the nickname.</param>
/// <param name="By">Who asked: the username (an operator's nickname), or the admin caller's address.</param>
/// <param name="Node">The node where it was asked (which has already acted on its own connections).</param>
/// <param name="Subject">For <see cref="RemoveFromRoom"/>: the user id whose connections leave the room.</param>
/// <param name="Change">For <see cref="RemoveFromRoom"/>: the event the room's members see first, the user leaving included.</param>
internal sealed record AdminCommand(string Action, string Target, string By, string Node, string? Subject = null, RoomEvent? Change = null)
{
    public const string CloseRoom = "close-room";
    public const string DisconnectUser = "disconnect-user";
    public const string RemoveFromRoom = "remove-from-room";
}
