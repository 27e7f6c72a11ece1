using Microsoft.AspNetCore.SignalR;

namespace Chat.Server.Scaleout.Internal;

/// <summary>
/// This node's connections in each group (or of each user), and the Redis subscription that goes with
/// them: subscribed when the first local member arrives, unsubscribed when the last one leaves. The
/// subscribe and unsubscribe calls are started under the lock, so Redis gets them in the order the
/// membership changed; waiting for Redis's answer happens outside it.
/// </summary>
internal sealed class ChannelMembers(Func<string, Task> subscribe, Func<string, Task> unsubscribe, Func<string, bool> shared)
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, HubConnectionStore> _members = new(StringComparer.Ordinal);

    public HubConnectionStore? this[string name]
    {
        get
        {
            lock (_gate)
            {
                return _members.GetValueOrDefault(name);
            }
        }
    }

    /// <summary>Adds a member; the task is the subscription when it is the first one here (null otherwise).</summary>
    public Task? Add(string name, HubConnectionContext connection)
    {
        lock (_gate)
        {
            if (!_members.TryGetValue(name, out var store))
            {
                store = new HubConnectionStore();
                _members.Add(name, store);
            }

            if (store[connection.ConnectionId] is not null)
            {
                return null;
            }

            store.Add(connection);
            return store.Count == 1 && shared(name) ? subscribe(name) : null;
        }
    }

    /// <summary>Removes a member; the task is the unsubscription when it was the last one here (null otherwise).</summary>
    public Task? Remove(string name, HubConnectionContext connection)
    {
        lock (_gate)
        {
            if (!_members.TryGetValue(name, out var store) || store[connection.ConnectionId] is null)
            {
                return null;
            }

            store.Remove(connection);
            if (store.Count > 0)
            {
                return null;
            }

            _members.Remove(name);
            return shared(name) ? unsubscribe(name) : null;
        }
    }
}
