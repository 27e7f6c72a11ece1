using Microsoft.AspNetCore.SignalR;

namespace Chat.Server.Backplane.Internal;

/// <summary>This node's connections in each group (or of each user): whom a send reaches directly, without Redis.</summary>
internal sealed class LocalMembers
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

    public void Add(string name, HubConnectionContext connection)
    {
        lock (_gate)
        {
            if (!_members.TryGetValue(name, out var store))
            {
                store = new HubConnectionStore();
                _members.Add(name, store);
            }

            store.Add(connection);
        }
    }

    public void Remove(string name, HubConnectionContext connection)
    {
        lock (_gate)
        {
            if (_members.TryGetValue(name, out var store))
            {
                store.Remove(connection);
                if (store.Count == 0)
                {
                    _members.Remove(name);
                }
            }
        }
    }
}
