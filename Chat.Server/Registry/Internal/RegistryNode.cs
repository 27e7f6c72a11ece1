using System.Collections.Concurrent;
using Chat.Server.Rooms;
using StackExchange.Redis;
using static Chat.Server.Registry.Internal.ScriptReplies;

namespace Chat.Server.Registry.Internal;

/// <summary>
/// This node's own side of the cluster registry, apart from its operations: the connections it has
/// (each with the gate that serializes its changes), whether Redis may be missing some of them, the
/// notices it sends to and receives from other nodes, and its duties: the heartbeat, the resync after
/// an outage, the sweep of dead nodes and its goodbye. <see cref="RedisRoomRegistry"/> owns it and
/// tracks connections in it; <see cref="ClusterMembership"/> runs the duties. The resync takes each
/// connection's gate, so it never races a join or leave of the same connection.
/// </summary>
internal sealed class RegistryNode
{
    private const string ChangedNotice = "changed";
    private const string RenamedNotice = "renamed";

    private readonly InMemoryRoomRegistry _local;
    private readonly RedisConnection _redis;
    private readonly ILogger _logger;
    private readonly Action _roomsChanged;
    private readonly RedisValue _prefix;
    private readonly string _changesChannel;
    private volatile bool _needsResync = true;
    private volatile bool _leftCluster;

    /// <param name="roomsChanged">Raises the registry's <see cref="IRoomRegistry.RoomsChanged"/>.</param>
    public RegistryNode(InMemoryRoomRegistry local, RedisConnection redis, ILogger logger, Action roomsChanged)
    {
        _local = local;
        _redis = redis;
        _logger = logger;
        _roomsChanged = roomsChanged;
        _prefix = redis.Prefix;
        _changesChannel = redis.Prefix + "registry";

        // Other nodes' changes: the lobby is rebuilt from Redis, and a rename of a user who also has
        // connections here is applied to this node's view.
        _ = redis.Subscriber.SubscribeAsync(RedisChannel.Literal(_changesChannel), OnChangeNotice).ContinueWith(static task => _ = task.Exception, TaskContinuationOptions.OnlyOnFaulted);
    }

    /// <summary>This node's connections: added by the registry when one connects, removed when it disconnects (or fails to connect).</summary>
    public ConcurrentDictionary<string, TrackedConnection> Connections { get; } = new(StringComparer.Ordinal);

    /// <summary>How many connections this node has.</summary>
    public int ConnectionCount => Connections.Count;

    /// <summary>True when Redis may be missing or holding stale state of this node.</summary>
    public bool NeedsResync => _needsResync;

    /// <summary>True once this node said goodbye: Redis no longer holds its connections.</summary>
    public bool LeftCluster => _leftCluster;

    public void MarkResyncNeeded() => _needsResync = true;

    /// <summary>Renews this node's heartbeat; false when it had expired or vanished, so Redis needs this node's state again.</summary>
    public async Task<bool> BeatAsync(TimeSpan timeToLive, CancellationToken cancellationToken = default)
    {
        var result = await _redis.RunAsync(database => database.ScriptEvaluateAsync(RegistryScripts.Beat, [], [_prefix, _redis.NodeId, (long)timeToLive.TotalMilliseconds]), cancellationToken);
        return (int)result == 1;
    }

    /// <summary>
    /// Makes Redis hold exactly this node's connections, nicknames and rooms: removes connections that
    /// ended here while Redis was away, and registers (again) every connection here. Returns the
    /// presence changes other members have to be told about.
    /// </summary>
    public async Task<IReadOnlyList<PresenceChange>> ResyncAsync(CancellationToken cancellationToken = default)
    {
        _needsResync = false;
        var changes = new List<PresenceChange>();
        try
        {
            var registered = await _redis.RunAsync(database => database.SetMembersAsync(_redis.Prefix + "node:" + _redis.NodeId + ":conns"), cancellationToken);
            foreach (var connectionId in registered.Select(value => (string)value!))
            {
                // A connection still tracked here is either live or mid-disconnect (which removes it itself).
                if (Connections.ContainsKey(connectionId))
                {
                    continue;
                }

                var result = await _redis.RunAsync(database => database.ScriptEvaluateAsync(RegistryScripts.Disconnect, [], [_prefix, connectionId]), cancellationToken);
                if (!result.IsNull)
                {
                    var values = (RedisResult[])result!;
                    changes.AddRange(Strings(values[1]).Select(room => new PresenceChange(room, (string)values[0]!, Joined: false)));
                }
            }

            foreach (var tracked in Connections.Values)
            {
                await tracked.Gate.WaitAsync(cancellationToken);
                try
                {
                    await SyncConnectionAsync(tracked, changes, cancellationToken);
                }
                finally
                {
                    tracked.Gate.Release();
                }
            }
        }
        catch
        {
            _needsResync = true;
            throw;
        }

        RegistryLog.Resynced(_logger, Connections.Count, changes.Count);
        await ChangedAsync(published: true);
        return changes;
    }

    /// <summary>Removes the connections of nodes whose heartbeat expired; returns the users that left rooms.</summary>
    public async Task<IReadOnlyList<PresenceChange>> SweepAsync(CancellationToken cancellationToken = default)
    {
        var nodes = await _redis.RunAsync(database => database.SetMembersAsync(_redis.Prefix + "nodes"), cancellationToken);
        var changes = new List<PresenceChange>();
        foreach (var node in nodes.Select(value => (string)value!).Where(node => node != _redis.NodeId))
        {
            var result = await _redis.RunAsync(database => database.ScriptEvaluateAsync(RegistryScripts.Sweep, [], [_prefix, node, "0"]), cancellationToken);
            if (!result.IsNull)
            {
                var departures = ToChanges(Strings(result));
                RegistryLog.NodeSwept(_logger, node, departures.Count);
                changes.AddRange(departures);
            }
        }

        if (changes.Count > 0)
        {
            await ChangedAsync(published: true);
        }

        return changes;
    }

    /// <summary>This node's goodbye: its heartbeat and every connection it still has in Redis are removed now.</summary>
    public async Task<IReadOnlyList<PresenceChange>> LeaveClusterAsync(CancellationToken cancellationToken = default)
    {
        _leftCluster = true;
        var result = await _redis.RunAsync(database => database.ScriptEvaluateAsync(RegistryScripts.Sweep, [], [_prefix, _redis.NodeId, "1"]), cancellationToken);
        var changes = result.IsNull ? [] : ToChanges(Strings(result));
        if (changes.Count > 0)
        {
            await ChangedAsync(published: true);
        }

        return changes;
    }

    /// <summary>Tells the lobby here, and (when the change reached Redis) the other nodes.</summary>
    public async Task ChangedAsync(bool published)
    {
        _roomsChanged();
        if (published)
        {
            await PublishNoticeAsync(ChangedNotice);
        }
    }

    /// <summary>Tells the other nodes that a user who may have connections there too is now called <paramref name="nickname"/>.</summary>
    public Task RenamedAsync(string userId, string nickname) => PublishNoticeAsync(RenamedNotice, userId, nickname);

    private static List<PresenceChange> ToChanges(string[] pairs)
    {
        var changes = new List<PresenceChange>(pairs.Length / 2);
        for (var i = 0; i + 1 < pairs.Length; i += 2)
        {
            changes.Add(new PresenceChange(pairs[i], pairs[i + 1], Joined: false));
        }

        return changes;
    }

    private async Task SyncConnectionAsync(TrackedConnection tracked, List<PresenceChange> changes, CancellationToken cancellationToken)
    {
        if (_local.GetConnection(tracked.Id) is not { } view)
        {
            return;
        }

        RedisValue[] arguments = [_prefix, _redis.NodeId, tracked.Id, tracked.UserId, view.Nickname, Nickname.Key(view.Nickname), .. view.Rooms.Select(room => (RedisValue)room)];
        var result = await _redis.RunAsync(database => database.ScriptEvaluateAsync(RegistryScripts.Sync, [], arguments), cancellationToken);
        var values = (RedisResult[])result!;
        if ((int)values[0] == 1)
        {
            RegistryLog.NicknameConflict(_logger, view.Nickname, tracked.Id);
        }

        if ((int)values[1] == 1)
        {
            await RenamedAsync(tracked.UserId, view.Nickname);
        }

        changes.AddRange(Strings(values[2]).Select(room => new PresenceChange(room, view.Nickname, Joined: true)));
        changes.AddRange(Strings(values[3]).Select(room => new PresenceChange(room, view.Nickname, Joined: false)));
    }

    private Task PublishNoticeAsync(params string[] parts) =>
        _redis.TryPublishAsync(_changesChannel, System.Text.Encoding.UTF8.GetBytes(string.Join('\n', [parts[0], _redis.NodeId, .. parts[1..]])));

    private void OnChangeNotice(RedisChannel channel, RedisValue value)
    {
        try
        {
            var parts = ((string)value!).Split('\n');
            if (parts.Length < 2 || parts[1] == _redis.NodeId)
            {
                return;
            }

            if (parts[0] == RenamedNotice && parts.Length == 4)
            {
                _ = ApplyRemoteRenameAsync(parts[2], parts[3]);
                return;
            }

            _roomsChanged();
        }
        catch (Exception ex)
        {
            RegistryLog.ReceiveFailed(_logger, channel.ToString(), ex);
        }
    }

    /// <summary>Another node renamed a user that also has connections here: this node's view follows.</summary>
    private async Task ApplyRemoteRenameAsync(string userId, string nickname)
    {
        try
        {
            if (Connections.Values.FirstOrDefault(tracked => tracked.UserId == userId) is { } tracked)
            {
                await _local.RenameAsync(tracked.Id, nickname);
            }

            _roomsChanged();
        }
        catch (Exception ex)
        {
            RegistryLog.ReceiveFailed(_logger, _changesChannel, ex);
        }
    }
}
