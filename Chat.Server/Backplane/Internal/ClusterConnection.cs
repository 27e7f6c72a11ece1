using Microsoft.AspNetCore.SignalR;

namespace Chat.Server.Backplane.Internal;

/// <summary>
/// One of this node's connections as the cluster layer tracks it (a feature of the connection): its
/// groups, and which backplane it is registered with; or the stand-in for this node's members of one
/// group (<see cref="GroupDelivery"/>), registered the same way. Guarded by a lock on itself.
/// </summary>
internal sealed class ClusterConnection(HubConnectionContext connection, bool registersGroups = false)
{
    public HubConnectionContext Connection { get; } = connection;

    /// <summary>
    /// Whether its groups are registered with the backplane: a group's stand-in's are; a connection's
    /// room groups are not (its node's stand-in for each group stands for it), only its user's group.
    /// </summary>
    public bool RegistersGroups { get; } = registersGroups;

    public HashSet<string> Groups { get; } = new(StringComparer.Ordinal);

    /// <summary>The backplane this connection was last registered with, or null.</summary>
    public object? RegisteredWith { get; set; }

    /// <summary>Its stand-in in that backplane.</summary>
    public RemoteDelivery? Delivery { get; set; }

    /// <summary>The registration with that backplane: the connection, its user and its groups.</summary>
    public Task Registration { get; set; } = Task.CompletedTask;

    public bool Closed { get; set; }
}
