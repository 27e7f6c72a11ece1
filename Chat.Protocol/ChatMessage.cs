namespace Chat.Protocol;

/// <summary>A message stored in a room's history. <see cref="Seq"/> numbers the room's messages 1, 2, 3… without gaps.</summary>
public sealed record ChatMessage(string Id, string Room, long Seq, string Sender, string Text, DateTimeOffset SentAt);
