namespace Chat.Server.Scaleout.Internal;

/// <summary>
/// The backplane's Redis channels for one hub: everyone (also sends to listed connections and group
/// commands, which any node may have to act on), one per group and one per user (subscribed only
/// while this node has a member), and one per node for acknowledgements.
/// </summary>
internal sealed class RedisChannels(string prefix, string hubName)
{
    private readonly string _prefix = $"{prefix}hub:{hubName}:";

    public string All => _prefix + "all";

    public string Group(string groupName) => _prefix + "group:" + groupName;

    public string User(string userId) => _prefix + "user:" + userId;

    public string Node(string nodeId) => _prefix + "node:" + nodeId;
}
