using System.Collections.Concurrent;
using Chat.Protocol;
using Microsoft.Extensions.Options;

namespace Chat.Server.History;

/// <summary>
/// The rooms' message logs in front of the store. For each active room it owns the <c>seq</c> counter,
/// the recent messages (joins and catch-up read them without the disk) and the ids of recent sends (a
/// retried send returns its first result). Appends to one room are serialized by that room's lock,
/// which is held while the message is numbered and handed to delivery, so members receive a room's
/// messages in <c>seq</c> order. The store write runs behind: the sender's acknowledgement waits for
/// it, delivery does not.
/// </summary>
public sealed class MessageLog(IMessageStore store, IOptions<HistoryOptions> options, TimeProvider time) : IMessageLog
{
    private readonly ConcurrentDictionary<string, RoomLog> _rooms = new(StringComparer.Ordinal);
    private readonly HistoryOptions _options = options.Value;

    public async Task<ChatMessage> AppendAsync(
        string room,
        string senderId,
        string sender,
        string text,
        string clientMessageId,
        Func<ChatMessage, Task> deliver,
        CancellationToken cancellationToken = default)
    {
        Task<ChatMessage> acknowledgement;
        Task? delivery = null;

        var log = await EnterAsync(room, cancellationToken);
        try
        {
            var key = RetryKey(senderId, clientMessageId);
            if (log.SeqByRetryKey.TryGetValue(key, out var knownSeq))
            {
                acknowledgement = log.PendingAcks.TryGetValue(knownSeq, out var pending)
                    ? pending
                    : FindAsync(log, room, knownSeq, cancellationToken);
            }
            else
            {
                var message = new ChatMessage(
                    Guid.CreateVersion7().ToString("N"),
                    room,
                    log.LastSeq + 1,
                    sender,
                    text,
                    TruncateToMilliseconds(time.GetUtcNow()),
                    clientMessageId);
                log.LastSeq = message.Seq;
                log.Remember(message, _options.RecentMessagesPerRoom);
                log.RememberRetryKey(key, message.Seq, _options.RetryWindow);

                delivery = deliver(message);
                acknowledgement = StoreAsync(log, new StoredMessage(message, senderId, clientMessageId));
                log.PendingAcks[message.Seq] = acknowledgement;
            }
        }
        finally
        {
            log.Gate.Release();
        }

        // The acknowledgement means durable, not delivered: a slow member must not hold up the sender.
        delivery?.ContinueWith(static task => _ = task.Exception, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously);

        return await acknowledgement.WaitAsync(cancellationToken);
    }

    public async Task<(IReadOnlyList<ChatMessage> Messages, long LastSeq)> GetLatestAsync(string room, int limit, CancellationToken cancellationToken = default)
    {
        var log = await EnterAsync(room, cancellationToken);
        try
        {
            return (await ReadBeforeAsync(log, room, log.LastSeq + 1, limit, cancellationToken), log.LastSeq);
        }
        finally
        {
            log.Gate.Release();
        }
    }

    public async Task<IReadOnlyList<ChatMessage>> GetBeforeAsync(string room, long beforeSeq, int limit, CancellationToken cancellationToken = default)
    {
        var log = await EnterAsync(room, cancellationToken);
        try
        {
            return await ReadBeforeAsync(log, room, Math.Min(beforeSeq, log.LastSeq + 1), limit, cancellationToken);
        }
        finally
        {
            log.Gate.Release();
        }
    }

    public async Task<IReadOnlyList<ChatMessage>> GetAfterAsync(string room, long afterSeq, int limit, CancellationToken cancellationToken = default)
    {
        var log = await EnterAsync(room, cancellationToken);
        try
        {
            var end = Math.Min(log.LastSeq, afterSeq + limit);
            return await ReadBeforeAsync(log, room, end + 1, (int)Math.Max(0, end - afterSeq), cancellationToken);
        }
        finally
        {
            log.Gate.Release();
        }
    }

    /// <remarks>A room with writes still in flight keeps its cache: a fresh load would read a <c>seq</c> the store has not caught up with.</remarks>
    public async Task EvictAsync(string room, CancellationToken cancellationToken = default)
    {
        if (!_rooms.TryGetValue(room, out var log))
        {
            return;
        }

        await log.Gate.WaitAsync(cancellationToken);
        try
        {
            if (log.PendingAcks.IsEmpty && !log.Evicted)
            {
                log.Evicted = true;
                _rooms.TryRemove(new KeyValuePair<string, RoomLog>(room, log));
            }
        }
        finally
        {
            log.Gate.Release();
        }
    }

    private static string RetryKey(string senderId, string clientMessageId) => string.Concat(senderId, "\n", clientMessageId);

    private static DateTimeOffset TruncateToMilliseconds(DateTimeOffset value) =>
        DateTimeOffset.FromUnixTimeMilliseconds(value.ToUnixTimeMilliseconds());

    /// <summary>Takes the room's lock, loading its state from the store on first use.</summary>
    private async Task<RoomLog> EnterAsync(string room, CancellationToken cancellationToken)
    {
        while (true)
        {
            var log = _rooms.GetOrAdd(room, static _ => new RoomLog());
            await log.Gate.WaitAsync(cancellationToken);
            if (log.Evicted)
            {
                log.Gate.Release();
                continue;
            }

            if (!log.Loaded)
            {
                try
                {
                    await LoadAsync(log, room, cancellationToken);
                }
                catch
                {
                    log.Gate.Release();
                    throw;
                }
            }

            return log;
        }
    }

    private async Task LoadAsync(RoomLog log, string room, CancellationToken cancellationToken)
    {
        var latest = await store.GetLatestAsync(room, Math.Max(_options.RetryWindow, _options.RecentMessagesPerRoom), cancellationToken);
        foreach (var stored in latest)
        {
            log.Remember(stored.Message, _options.RecentMessagesPerRoom);
            log.RememberRetryKey(RetryKey(stored.SenderId, stored.ClientMessageId), stored.Message.Seq, _options.RetryWindow);
        }

        log.LastSeq = latest.Count > 0 ? latest[^1].Message.Seq : 0;
        log.Loaded = true;
    }

    private async Task<ChatMessage> StoreAsync(RoomLog log, StoredMessage stored)
    {
        try
        {
            await store.AppendAsync(stored);
            return stored.Message;
        }
        finally
        {
            // No room lock needed: entries are only added under it, and eviction only needs to see
            // that none are left.
            log.PendingAcks.TryRemove(stored.Message.Seq, out _);
        }
    }

    private async Task<ChatMessage> FindAsync(RoomLog log, string room, long seq, CancellationToken cancellationToken)
    {
        var recent = log.Recent.FirstOrDefault(message => message.Seq == seq);
        if (recent is not null)
        {
            return recent;
        }

        var stored = await store.GetAsync(room, seq, cancellationToken);
        return stored?.Message ?? throw new InvalidOperationException($"Message {seq} of {room} is missing from the store.");
    }

    /// <summary>
    /// Messages in [<paramref name="beforeSeq"/> - <paramref name="limit"/>, <paramref name="beforeSeq"/>):
    /// from memory when the recent messages cover them, otherwise from the store topped up with the
    /// recent messages (which include any not yet committed).
    /// </summary>
    private async Task<IReadOnlyList<ChatMessage>> ReadBeforeAsync(RoomLog log, string room, long beforeSeq, int limit, CancellationToken cancellationToken)
    {
        var from = Math.Max(1, beforeSeq - limit);
        if (limit <= 0 || beforeSeq <= 1)
        {
            return [];
        }

        if (log.Recent.Count > 0 && log.Recent.First!.Value.Seq <= from)
        {
            return [.. log.Recent.Where(message => message.Seq >= from && message.Seq < beforeSeq)];
        }

        var stored = await store.GetBeforeAsync(room, beforeSeq, limit, cancellationToken);
        var merged = new SortedList<long, ChatMessage>();
        foreach (var message in stored)
        {
            merged[message.Message.Seq] = message.Message;
        }

        foreach (var message in log.Recent)
        {
            if (message.Seq >= from && message.Seq < beforeSeq)
            {
                merged[message.Seq] = message;
            }
        }

        return [.. merged.Values];
    }

    /// <summary>One room's state; every field is guarded by <see cref="Gate"/>, but for removals from <see cref="PendingAcks"/>.</summary>
    private sealed class RoomLog
    {
        private readonly Queue<string> _retryKeys = new();

        public SemaphoreSlim Gate { get; } = new(1, 1);

        public bool Loaded { get; set; }

        public bool Evicted { get; set; }

        public long LastSeq { get; set; }

        public LinkedList<ChatMessage> Recent { get; } = new();

        public Dictionary<string, long> SeqByRetryKey { get; } = new(StringComparer.Ordinal);

        public ConcurrentDictionary<long, Task<ChatMessage>> PendingAcks { get; } = new();

        public void Remember(ChatMessage message, int capacity)
        {
            Recent.AddLast(message);
            while (Recent.Count > capacity)
            {
                Recent.RemoveFirst();
            }
        }

        public void RememberRetryKey(string key, long seq, int capacity)
        {
            if (!SeqByRetryKey.TryAdd(key, seq))
            {
                return;
            }

            _retryKeys.Enqueue(key);
            while (_retryKeys.Count > capacity)
            {
                SeqByRetryKey.Remove(_retryKeys.Dequeue());
            }
        }
    }
}
