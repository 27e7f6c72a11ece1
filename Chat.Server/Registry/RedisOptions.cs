using System.ComponentModel.DataAnnotations;

namespace Chat.Server.Registry;

/// <summary>
/// Configuration section <c>Chat:Redis</c>. A non-empty <see cref="Configuration"/> turns this server
/// into a node of a cluster that shares Redis (backplane, rooms, nicknames, presence).
/// </summary>
public sealed class RedisOptions
{
    public const string SectionName = "Chat:Redis";

    /// <summary>A StackExchange.Redis configuration string, e.g. <c>localhost:6379</c> or <c>redis:6379,password=...</c>.</summary>
    public string? Configuration { get; set; }

    /// <summary>Starts every key and channel, so several clusters (or test runs) can share one Redis.</summary>
    [Required]
    [RegularExpression("^[A-Za-z0-9_.-]{1,40}$")]
    public string Prefix { get; set; } = "chat";

    /// <summary>The longest a hub call waits for Redis before it falls back to what this node knows.</summary>
    [Range(typeof(TimeSpan), "00:00:00.100", "00:00:30")]
    public TimeSpan OperationTimeout { get; set; } = TimeSpan.FromSeconds(1.5);

    /// <summary>How often this node says it is alive, and how often it looks for nodes that stopped saying so.</summary>
    [Range(typeof(TimeSpan), "00:00:00.200", "00:01:00")]
    public TimeSpan HeartbeatInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// A node silent for this long is dead: its connections are removed and their rooms told. Keep it
    /// a few heartbeats long; a dead node's users disappear within this plus one heartbeat.
    /// </summary>
    [Range(typeof(TimeSpan), "00:00:01", "00:10:00")]
    public TimeSpan NodeTimeout { get; set; } = TimeSpan.FromSeconds(9);

    /// <summary>SignalR groups delivered only to this node's members: each node sends them itself (the lobby).</summary>
    public ISet<string> NodeLocalGroups { get; } = new HashSet<string>(StringComparer.Ordinal);
}
