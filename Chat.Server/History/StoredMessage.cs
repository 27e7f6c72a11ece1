using Chat.Protocol;

namespace Chat.Server.History;

/// <summary>A room message as stored: the public message plus who sent it and the sender's retry id.</summary>
public sealed record StoredMessage(ChatMessage Message, string SenderId, string ClientMessageId);
