namespace Chat.Protocol;

/// <summary>A private message from one user to another; delivered live, not kept in room history.</summary>
public sealed record DirectMessage(string Id, string From, string To, string Text, DateTimeOffset SentAt);
