namespace Chat.Protocol;

/// <summary>What <c>Join</c> returns: the members and the latest messages (oldest first), and the room's last <c>seq</c>.</summary>
public sealed record RoomSnapshot(string Room, IReadOnlyList<string> Members, IReadOnlyList<ChatMessage> Messages, long LastSeq);
