namespace Chat.Protocol;

/// <summary>An operator invited this user into a room (<c>/invite</c>); it admits them to an invite-only room.</summary>
public sealed record RoomInvitation(string Room, string By);
