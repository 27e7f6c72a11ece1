namespace Chat.Server.History;

/// <summary>A message to number and store (<see cref="PostgresMessageStore.AppendNewAsync"/>).</summary>
public sealed record NewMessage(string Room, string Id, string Sender, string SenderId, string ClientMessageId, string Text, DateTimeOffset SentAt);
