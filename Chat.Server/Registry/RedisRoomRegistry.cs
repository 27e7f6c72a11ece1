using System.Collections.Concurrent;
using Chat.Protocol;
using Chat.Server.Registry.Internal;
using Chat.Server.Rooms;
using StackExchange.Redis;

namespace Chat.Server.Registry;

/// <summary>
/// The registry of a cluster: rooms, members, nicknames and presence of every node, kept in Redis by
/// atomic scripts (<see cref="RegistryScripts"/>), in front of this node's own view (an
/// <see cref="InMemoryRoomRegistry"/> of the connections here). The hub's per-call look-ups
/// (<see cref="GetConnection"/>, <see cref="IsInRoom"/>, <see cref="GetNicknameInRoom"/>) stay local and synchronous. Each change is
/// made here first, then in Redis; while Redis cannot be used the local answer stands (lists show this
/// node only, nicknames are unique on this node only) and <see cref="ResyncAsync"/> catches Redis up
/// once it answers again. A connection's changes are serialized by its own gate, which the resync
/// takes too, so a resync never races a join or leave of the same connection.
/// </summary>
public sealed class RedisRoomRegistry : IRoomRegistry
{
    private const string ChangedNotice = "changed";
    private const string RenamedNotice = "renamed";

    private readonly InMemoryRoomRegistry _local;
    private readonly RedisConnection _redis;
    private readonly ILogger<RedisRoomRegistry> _logger;
    private readonly ConcurrentDictionary<string, TrackedConnection> _tracked = new(StringComparer.Ordinal);
    private readonly RedisValue _prefix;
    private readonly string _changesChannel;
    private volatile bool _needsResync = true;
    private volatile bool _leftCluster;

    public RedisRoomRegistry(InMemoryRoomRegistry local, RedisConnection redis, ILogger<RedisRoomRegistry> logger)
    {
        _local = local;
        _redis = redis;
        _logger = logger;
        _prefix = redis.Prefix;
        _changesChannel = redis.Prefix + "registry";

        // Other nodes' changes: the lobby is rebuilt from Redis, and a rename of a user who also has
        // connections here is applied to this node's view.
        _ = redis.Subscriber.SubscribeAsync(RedisChannel.Literal(_changesChannel), OnChangeNotice).ContinueWith(static task => _ = task.Exception, TaskContinuationOptions.OnlyOnFaulted);
    }

    /// <summary>Raised after a change here or on another node, once Redis holds it.</summary>
    public event Action? RoomsChanged;

    /// <summary>True when Redis may be missing or holding stale state of this node.</summary>
    public bool NeedsResync => _needsResync;

    /// <summary>How many connections this node has.</summary>
    public int ConnectionCount => _tracked.Count;

    public async ValueTask<ConnectResult> ConnectAsync(string connectionId, string userId, string? nickname, CancellationToken cancellationToken = default)
    {
        var tracked = new TrackedConnection(connectionId, userId);
        _tracked[connectionId] = tracked;
        await tracked.Gate.WaitAsync(cancellationToken);
        var accepted = false;
        try
        {
            var clusterNickname = nickname;
            var registered = false;

            // A generated nickname that happens to be taken somewhere is replaced by another.
            for (var attempt = 0; attempt < 5 && !registered; attempt++)
            {
                var candidate = nickname ?? NicknameGenerator.Next();
                var (answered, result) = await TryEvaluateAsync(RegistryScripts.Connect, [_prefix, _redis.NodeId, connectionId, userId, candidate, Nickname.Key(candidate)], cancellationToken);
                if (!answered)
                {
                    break;
                }

                var values = (RedisResult[])result!;
                if ((int)values[0] == 1)
                {
                    clusterNickname = (string?)values[1];
                    registered = true;
                }
                else if (nickname is not null)
                {
                    return new ConnectResult(ConnectOutcome.NicknameTaken, nickname);
                }
            }

            var local = await _local.ConnectAsync(connectionId, userId, clusterNickname, cancellationToken);
            if (local.Outcome == ConnectOutcome.NicknameTaken)
            {
                // This node's view disagrees with Redis (it kept a user Redis lost): this node's view wins here.
                if (registered)
                {
                    await TryEvaluateAsync(RegistryScripts.Disconnect, [_prefix, connectionId], CancellationToken.None);
                }

                return local;
            }

            accepted = true;
            return local;
        }
        catch
        {
            // Redis may hold a connection this node never accepted: the resync removes it.
            _needsResync = true;
            throw;
        }
        finally
        {
            if (!accepted)
            {
                _tracked.TryRemove(new KeyValuePair<string, TrackedConnection>(connectionId, tracked));
            }

            tracked.Gate.Release();
        }
    }

    public async ValueTask<DisconnectResult> DisconnectAsync(string connectionId, CancellationToken cancellationToken = default)
    {
        if (!_tracked.TryGetValue(connectionId, out var tracked))
        {
            return await _local.DisconnectAsync(connectionId, cancellationToken);
        }

        await tracked.Gate.WaitAsync(CancellationToken.None);
        try
        {
            var local = await _local.DisconnectAsync(connectionId, cancellationToken);
            if (local.Nickname is null)
            {
                return local;
            }

            var (answered, result) = await TryEvaluateAsync(RegistryScripts.Disconnect, [_prefix, connectionId], CancellationToken.None);
            var outcome = local;
            if (answered && !result!.IsNull)
            {
                var values = (RedisResult[])result!;
                outcome = new DisconnectResult(local.Nickname, Strings(values[1]), local.RoomsRemoved);
            }
            else if (answered && _leftCluster)
            {
                // The node's goodbye already removed this connection and told its rooms.
                outcome = new DisconnectResult(local.Nickname, [], local.RoomsRemoved);
            }

            if (outcome.RoomsLeft.Count > 0)
            {
                await ChangedAsync(answered);
            }

            return outcome;
        }
        finally
        {
            _tracked.TryRemove(new KeyValuePair<string, TrackedConnection>(connectionId, tracked));
            tracked.Gate.Release();
        }
    }

    public async ValueTask<RenameResult> RenameAsync(string connectionId, string nickname, CancellationToken cancellationToken = default)
    {
        var tracked = Tracked(connectionId);
        await tracked.Gate.WaitAsync(cancellationToken);
        try
        {
            var current = _local.GetConnection(connectionId) ?? throw new InvalidOperationException($"Connection {connectionId} is not registered.");
            if (current.Nickname == nickname)
            {
                return new RenameResult(RenameOutcome.Unchanged, nickname, nickname, []);
            }

            var (answered, result) = await TryEvaluateAsync(RegistryScripts.Rename, [_prefix, connectionId, nickname, Nickname.Key(nickname)], cancellationToken);
            var values = answered ? (RedisResult[])result! : null;
            if (values is not null && (int)values[0] == 0)
            {
                return new RenameResult(RenameOutcome.Taken, current.Nickname, nickname, []);
            }

            var local = await _local.RenameAsync(connectionId, nickname, cancellationToken);
            if (values is null || (int)values[0] != 1 || local.Outcome != RenameOutcome.Renamed)
            {
                // Redis was not reachable or disagrees with this node: the local answer stands until the resync.
                _needsResync = true;
                if (local.Outcome == RenameOutcome.Renamed)
                {
                    RoomsChanged?.Invoke();
                }

                return local;
            }

            await PublishNoticeAsync(RenamedNotice, tracked.UserId, nickname);
            RoomsChanged?.Invoke();
            return local with { NotifyConnectionIds = [.. Strings(values[1]).Union(local.NotifyConnectionIds, StringComparer.Ordinal)] };
        }
        finally
        {
            tracked.Gate.Release();
        }
    }

    public async ValueTask<JoinResult> JoinAsync(string connectionId, string room, int maxRoomsPerConnection, CancellationToken cancellationToken = default)
    {
        var tracked = Tracked(connectionId);
        await tracked.Gate.WaitAsync(cancellationToken);
        try
        {
            var local = await _local.JoinAsync(connectionId, room, maxRoomsPerConnection, cancellationToken);
            if (local.Outcome != JoinOutcome.Joined)
            {
                return local;
            }

            var (answered, result) = await TryEvaluateAsync(RegistryScripts.Join, [_prefix, connectionId, room], cancellationToken);
            var values = answered ? (RedisResult[])result! : null;
            if (values is null || (int)values[0] < 0)
            {
                _needsResync = true;
                if (local.UserJoined)
                {
                    RoomsChanged?.Invoke();
                }

                return local;
            }

            var outcome = local with { UserJoined = (int)values[0] == 2, Members = Sorted(Strings(values[1])) };
            if (outcome.UserJoined)
            {
                await ChangedAsync(published: true);
            }

            return outcome;
        }
        finally
        {
            tracked.Gate.Release();
        }
    }

    public async ValueTask<LeaveResult> LeaveAsync(string connectionId, string room, CancellationToken cancellationToken = default)
    {
        var tracked = Tracked(connectionId);
        await tracked.Gate.WaitAsync(cancellationToken);
        try
        {
            var local = await _local.LeaveAsync(connectionId, room, cancellationToken);
            if (!local.WasMember)
            {
                return local;
            }

            var (answered, result) = await TryEvaluateAsync(RegistryScripts.Leave, [_prefix, connectionId, room], cancellationToken);
            if (!answered || (int)result! < 0)
            {
                _needsResync = true;
                if (local.UserLeft)
                {
                    RoomsChanged?.Invoke();
                }

                return local;
            }

            var outcome = local with { UserLeft = (int)result! >= 2 };
            if (outcome.UserLeft)
            {
                await ChangedAsync(published: true);
            }

            return outcome;
        }
        finally
        {
            tracked.Gate.Release();
        }
    }

    public async ValueTask<IReadOnlyList<RoomSummary>> ListRoomsAsync(CancellationToken cancellationToken = default)
    {
        var (answered, result) = await TryEvaluateAsync(RegistryScripts.ListRooms, [_prefix], cancellationToken);
        if (!answered)
        {
            return await _local.ListRoomsAsync(cancellationToken);
        }

        return [.. ((RedisResult[])result!)
            .Select(entry => (RedisResult[])entry!)
            .Select(entry => Summary((string)entry[0]!, Strings(entry[1])))
            .Where(summary => summary.UserCount > 0)
            .OrderBy(summary => summary.Name, StringComparer.Ordinal)];
    }

    public async ValueTask<IReadOnlyList<LobbyRoom>> ListLobbyAsync(CancellationToken cancellationToken = default)
    {
        // Every page watches the lobby and every change anywhere rebuilds it: counts only, no names to fetch and sort.
        var (answered, result) = await TryEvaluateAsync(RegistryScripts.LobbyCounts, [_prefix], cancellationToken);
        if (!answered)
        {
            return await _local.ListLobbyAsync(cancellationToken);
        }

        return [.. ((RedisResult[])result!)
            .Select(entry => (RedisResult[])entry!)
            .Select(entry => new LobbyRoom((string)entry[0]!, (int)entry[1]))
            .OrderBy(room => room.Name, StringComparer.Ordinal)];
    }

    public async ValueTask<RoomSummary> GetRoomAsync(string room, CancellationToken cancellationToken = default)
    {
        var (answered, result) = await TryEvaluateAsync(RegistryScripts.Members, [_prefix, room], cancellationToken);
        return answered ? Summary(room, Strings(result!)) : await _local.GetRoomAsync(room, cancellationToken);
    }

    public async ValueTask<UserView?> FindUserAsync(string nickname, CancellationToken cancellationToken = default)
    {
        var (answered, result) = await TryEvaluateAsync(RegistryScripts.FindUser, [_prefix, Nickname.Key(nickname)], cancellationToken);
        if (!answered)
        {
            return await _local.FindUserAsync(nickname, cancellationToken);
        }

        if (result!.IsNull)
        {
            return null;
        }

        var values = (RedisResult[])result!;
        return new UserView((string)values[0]!, (string)values[1]!);
    }

    public ConnectionView? GetConnection(string connectionId) => _local.GetConnection(connectionId);

    public string? GetNickname(string connectionId) => _local.GetNickname(connectionId);

    public bool IsInRoom(string connectionId, string room) => _local.IsInRoom(connectionId, room);

    public string? GetNicknameInRoom(string connectionId, string room) => _local.GetNicknameInRoom(connectionId, room);

    /// <summary>Renews this node's heartbeat; false when it had expired or vanished, so Redis needs this node's state again.</summary>
    public async Task<bool> BeatAsync(TimeSpan timeToLive, CancellationToken cancellationToken = default)
    {
        var result = await _redis.RunAsync(database => database.ScriptEvaluateAsync(RegistryScripts.Beat, [], [_prefix, _redis.NodeId, (long)timeToLive.TotalMilliseconds]), cancellationToken);
        return (int)result == 1;
    }

    public void MarkResyncNeeded() => _needsResync = true;

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
                if (_tracked.ContainsKey(connectionId))
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

            foreach (var tracked in _tracked.Values)
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

        RegistryLog.Resynced(_logger, _tracked.Count, changes.Count);
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

    private static string[] Strings(RedisResult result) => result.IsNull ? [] : (string[])result!;

    private static IReadOnlyList<string> Sorted(IEnumerable<string> nicknames) => [.. nicknames.Order(StringComparer.OrdinalIgnoreCase)];

    private static RoomSummary Summary(string room, string[] nicknames)
    {
        var members = Sorted(nicknames);
        return new RoomSummary(room, members.Count, members);
    }

    private static List<PresenceChange> ToChanges(string[] pairs)
    {
        var changes = new List<PresenceChange>(pairs.Length / 2);
        for (var i = 0; i + 1 < pairs.Length; i += 2)
        {
            changes.Add(new PresenceChange(pairs[i], pairs[i + 1], Joined: false));
        }

        return changes;
    }

    private TrackedConnection Tracked(string connectionId) =>
        _tracked.TryGetValue(connectionId, out var tracked)
            ? tracked
            : throw new InvalidOperationException($"Connection {connectionId} is not registered.");

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
            await PublishNoticeAsync(RenamedNotice, tracked.UserId, view.Nickname);
        }

        changes.AddRange(Strings(values[2]).Select(room => new PresenceChange(room, view.Nickname, Joined: true)));
        changes.AddRange(Strings(values[3]).Select(room => new PresenceChange(room, view.Nickname, Joined: false)));
    }

    /// <summary>
    /// Runs a registry script with the bounded timeout; (false, null) when Redis cannot be used, which
    /// also marks this node's state for a resync (the change may or may not have reached Redis).
    /// </summary>
    private async Task<(bool Answered, RedisResult? Result)> TryEvaluateAsync(string script, RedisValue[] arguments, CancellationToken cancellationToken)
    {
        try
        {
            return (true, await _redis.RunAsync(database => database.ScriptEvaluateAsync(script, [], arguments), cancellationToken));
        }
        catch (RedisUnavailableException ex)
        {
            _needsResync = true;
            RegistryLog.RegistryFallback(_logger, ex.Message);
            return (false, null);
        }
    }

    /// <summary>Tells the lobby here, and (when the change reached Redis) the other nodes.</summary>
    private async Task ChangedAsync(bool published)
    {
        RoomsChanged?.Invoke();
        if (published)
        {
            await PublishNoticeAsync(ChangedNotice);
        }
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

            RoomsChanged?.Invoke();
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
            if (_tracked.Values.FirstOrDefault(tracked => tracked.UserId == userId) is { } tracked)
            {
                await _local.RenameAsync(tracked.Id, nickname);
            }

            RoomsChanged?.Invoke();
        }
        catch (Exception ex)
        {
            RegistryLog.ReceiveFailed(_logger, _changesChannel, ex);
        }
    }

    /// <summary>A connection on this node; its gate serializes its registry changes and its resync.</summary>
    private sealed class TrackedConnection(string id, string userId)
    {
        public string Id { get; } = id;

        public string UserId { get; } = userId;

        public SemaphoreSlim Gate { get; } = new(1, 1);
    }
}
