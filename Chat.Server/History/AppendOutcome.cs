using Chat.Protocol;

namespace Chat.Server.History;

/// <param name="IsNew">False when the message was already stored by an earlier attempt of the same send.</param>
public sealed record AppendOutcome(ChatMessage Message, bool IsNew);
