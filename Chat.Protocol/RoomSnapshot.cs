namespace Chat.Protocol;

/// <summary>What <c>Join</c> returns: the members and the latest messages (oldest first), the room's last <c>seq</c>, and its settings (topic, owner, operators, modes).</summary>
public sealed record RoomSnapshot(string Room, IReadOnlyList<string> Members, IReadOnlyList<ChatMessage> Messages, long LastSeq, RoomInfo? Info = null);
