using Microsoft.AspNetCore.SignalR;

namespace Chat.Server.Backplane.Internal;

/// <summary>
/// This node's members of each group, and the stand-ins (<see cref="GroupDelivery"/>) that represent
/// them in Microsoft's backplane: one per group with a member here, made with its first member and
/// ended with its last, and one for all of this node's connections (the group everyone-sends travel
/// as). A group's members and its stand-in change under one lock, so a stand-in never outlives or
/// misses its members.
/// </summary>
internal sealed class LocalGroups(
    string everyoneGroup,
    Func<string, SerializedHubMessage, Task> writeToGroupHere,
    Func<SerializedHubMessage, Task> writeToEveryoneHere)
{
    private readonly Lock _gate = new();
    private readonly LocalMembers _members = new();
    private readonly Dictionary<string, ClusterConnection> _standIns = new(StringComparer.Ordinal);
    private ClusterConnection? _everyone;

    /// <summary>The members here of a group, or null when it has none here.</summary>
    public HubConnectionStore? this[string group] => _members[group];

    /// <summary>The id of this node's stand-in for everyone, once a connection has made it.</summary>
    public string? EveryoneId => Volatile.Read(ref _everyone)?.Connection.ConnectionId;

    /// <summary>Adds a member here to a group; returns this node's stand-in for the group, made with its first member.</summary>
    public ClusterConnection Add(string group, HubConnectionContext connection)
    {
        lock (_gate)
        {
            _members.Add(group, connection);
            if (!_standIns.TryGetValue(group, out var standIn))
            {
                standIn = StandIn("~group:", group, message => writeToGroupHere(group, message));
                _standIns.Add(group, standIn);
            }

            return standIn;
        }
    }

    /// <summary>Removes a member here from a group; returns the group's stand-in when that was the last member here.</summary>
    public ClusterConnection? Remove(string group, HubConnectionContext connection)
    {
        lock (_gate)
        {
            _members.Remove(group, connection);
            return _members[group] is null && _standIns.Remove(group, out var standIn) ? standIn : null;
        }
    }

    /// <summary>The id of this node's stand-in for a group, or null when the group has no member here.</summary>
    public string? StandInId(string group)
    {
        lock (_gate)
        {
            return _standIns.TryGetValue(group, out var standIn) ? standIn.Connection.ConnectionId : null;
        }
    }

    /// <summary>This node's stand-in for all its connections, made with the first connection; it lives as long as the node.</summary>
    public ClusterConnection Everyone()
    {
        if (Volatile.Read(ref _everyone) is { } everyone)
        {
            return everyone;
        }

        lock (_gate)
        {
            if (_everyone is null)
            {
                Volatile.Write(ref _everyone, StandIn("~everyone:", everyoneGroup, writeToEveryoneHere));
            }

            return _everyone;
        }
    }

    /// <summary>Every stand-in now, for registering them all with a new backplane.</summary>
    public IReadOnlyList<ClusterConnection> StandIns()
    {
        lock (_gate)
        {
            return _everyone is null ? [.. _standIns.Values] : [.. _standIns.Values, _everyone];
        }
    }

    private static ClusterConnection StandIn(string kind, string group, Func<SerializedHubMessage, Task> write)
    {
        // A new id for every stand-in: one that ended may still be leaving the backplane.
        var standIn = new ClusterConnection(new GroupDelivery(kind + Guid.NewGuid().ToString("N"), write), registersGroups: true);
        standIn.Groups.Add(group);
        return standIn;
    }
}
