using Chat.Protocol;

namespace Chat.Server.History;

/// <summary>
/// The room timelines of a cluster: every node numbers through PostgreSQL
/// (<see cref="PostgresMessageStore.AppendNewAsync"/>), so a room's <c>seq</c> is one gapless sequence
/// whichever node a sender is on. A message is committed before it is delivered; delivery order
/// between nodes is not guaranteed, which clients absorb by ordering on <c>seq</c> and fetching gaps
/// with <c>MissedSince</c> (a node that dies between commit and publish leaves exactly such a gap).
/// Reads go to the database, which always holds every message that anyone has seen.
/// </summary>
public sealed class PostgresMessageLog(PostgresMessageStore store, TimeProvider time) : IMessageLog
{
    public async Task<ChatMessage> AppendAsync(
        string room,
        string senderId,
        string sender,
        string text,
        string clientMessageId,
        Func<ChatMessage, Task> deliver,
        CancellationToken cancellationToken = default)
    {
        var sentAt = DateTimeOffset.FromUnixTimeMilliseconds(time.GetUtcNow().ToUnixTimeMilliseconds());
        var created = new NewMessage(room, Guid.CreateVersion7().ToString("N"), sender, senderId, clientMessageId, text, sentAt);
        var outcome = await store.AppendNewAsync(created, deliver, cancellationToken);
        return outcome.Message;
    }

    public async Task<(IReadOnlyList<ChatMessage> Messages, long LastSeq)> GetLatestAsync(string room, int limit, CancellationToken cancellationToken = default)
    {
        // The newest message read is the last seq: both come from one snapshot, so a message committed
        // after it arrives live (the caller joined the group first) and is never skipped as a repeat.
        var latest = await store.GetLatestAsync(room, limit, cancellationToken);
        var messages = Messages(latest);
        return (messages, messages.Count > 0 ? messages[^1].Seq : await store.GetLastSeqAsync(room, cancellationToken));
    }

    public async Task<IReadOnlyList<ChatMessage>> GetBeforeAsync(string room, long beforeSeq, int limit, CancellationToken cancellationToken = default) =>
        Messages(await store.GetBeforeAsync(room, beforeSeq, limit, cancellationToken));

    public async Task<IReadOnlyList<ChatMessage>> GetAfterAsync(string room, long afterSeq, int limit, CancellationToken cancellationToken = default) =>
        Messages(await store.GetAfterAsync(room, afterSeq, limit, cancellationToken));

    /// <remarks>Nothing is cached per room, so there is nothing to let go of.</remarks>
    public Task EvictAsync(string room, CancellationToken cancellationToken = default) => Task.CompletedTask;

    private static IReadOnlyList<ChatMessage> Messages(IReadOnlyList<StoredMessage> stored) => [.. stored.Select(message => message.Message)];
}
