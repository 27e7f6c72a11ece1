namespace Chat.Protocol;

/// <summary>
/// A message stored in a room's history. <see cref="Seq"/> numbers the room's messages 1, 2, 3… without gaps.
/// <see cref="ClientMessageId"/> is the id the sender chose for it (or the server, when the sender chose
/// none): the sender finds its own send by it, where two sends of the same text look alike.
/// </summary>
public sealed record ChatMessage(string Id, string Room, long Seq, string Sender, string Text, DateTimeOffset SentAt, string? ClientMessageId = null);
