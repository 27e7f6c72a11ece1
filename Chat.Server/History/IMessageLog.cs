using Chat.Protocol;

namespace Chat.Server.History;

/// <summary>
/// Room timelines as the hub sees them: numbering, delivery order, retries and reads. The single-node
/// <see cref="MessageLog"/> numbers messages in memory in front of the store; a cluster needs an
/// implementation whose numbering is shared by every node.
/// </summary>
public interface IMessageLog
{
    /// <summary>
    /// Numbers, delivers (through <paramref name="deliver"/>) and stores a message, or returns the first
    /// result for a retried (<paramref name="senderId"/>, <paramref name="clientMessageId"/>).
    /// Completes when the message is durable.
    /// </summary>
    Task<ChatMessage> AppendAsync(
        string room,
        string senderId,
        string sender,
        string text,
        string clientMessageId,
        Func<ChatMessage, Task> deliver,
        CancellationToken cancellationToken = default);

    /// <summary>The latest <paramref name="limit"/> messages (oldest first) and the room's last <c>seq</c>.</summary>
    Task<(IReadOnlyList<ChatMessage> Messages, long LastSeq)> GetLatestAsync(string room, int limit, CancellationToken cancellationToken = default);

    /// <summary>Up to <paramref name="limit"/> messages with <c>seq</c> below <paramref name="beforeSeq"/>, oldest first.</summary>
    Task<IReadOnlyList<ChatMessage>> GetBeforeAsync(string room, long beforeSeq, int limit, CancellationToken cancellationToken = default);

    /// <summary>Up to <paramref name="limit"/> messages with <c>seq</c> above <paramref name="afterSeq"/>, oldest first.</summary>
    Task<IReadOnlyList<ChatMessage>> GetAfterAsync(string room, long afterSeq, int limit, CancellationToken cancellationToken = default);

    /// <summary>Lets go of an idle room's cached state (its last member here left).</summary>
    Task EvictAsync(string room, CancellationToken cancellationToken = default);
}
