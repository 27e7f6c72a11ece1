namespace Chat.Server.Admin.Internal;

/// <summary>What an admin action did: connections touched on this node, and whether the other nodes were told (null: there are none).</summary>
internal sealed record AdminOutcome(int ConnectionsHere, bool? OtherNodesTold);
