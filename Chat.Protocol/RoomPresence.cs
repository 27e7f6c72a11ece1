namespace Chat.Protocol;

/// <summary>Somebody joined, left or is typing in a room.</summary>
public sealed record RoomPresence(string Room, string Nickname);
