namespace Chat.Server.Rooms;

/// <summary>A user joined or left a room as the cluster sees it, for the room's members to be told.</summary>
public sealed record PresenceChange(string Room, string Nickname, bool Joined);
