namespace Chat.Server.Admin.Internal;

/// <summary>An action asked on one node's admin screen, as it travels to the other nodes.</summary>
/// <param name="Action"><see cref="CloseRoom"/> or <see cref="DisconnectUser"/>.</param>
/// <param name="Target">The room's canonical name, or the nickname.</param>
/// <param name="By">Who asked: today the caller's address, once accounts exist the username.</param>
/// <param name="Node">The node whose screen it came from (which has already acted on its own connections).</param>
internal sealed record AdminCommand(string Action, string Target, string By, string Node)
{
    public const string CloseRoom = "close-room";
    public const string DisconnectUser = "disconnect-user";
}
