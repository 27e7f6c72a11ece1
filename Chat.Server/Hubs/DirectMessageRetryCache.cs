using System.Collections.Concurrent;
using Chat.Protocol;

namespace Chat.Server.Hubs;

/// <summary>
/// Direct messages are delivered live and not stored; this remembers the latest ones by the sender's
/// client message id so a retried send is delivered once and gets its first result back.
/// </summary>
public sealed class DirectMessageRetryCache
{
    private const int Capacity = 10_000;

    private readonly ConcurrentDictionary<string, Lazy<Task<DirectMessage>>> _sent = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<string> _order = new();

    public Task<DirectMessage> SendAsync(string senderId, string clientMessageId, Func<DirectMessage> create, Func<DirectMessage, Task> deliver)
    {
        var key = string.Concat(senderId, "\n", clientMessageId);
        var entry = new Lazy<Task<DirectMessage>>(async () =>
        {
            var message = create();
            await deliver(message);
            return message;
        });

        var winner = _sent.GetOrAdd(key, entry);
        if (ReferenceEquals(winner, entry))
        {
            _order.Enqueue(key);
            while (_order.Count > Capacity && _order.TryDequeue(out var oldest))
            {
                _sent.TryRemove(oldest, out _);
            }
        }

        return winner.Value;
    }
}
