using System.Collections.Concurrent;
using Chat.Protocol;
using Chat.Server.Registry.Internal;
using Chat.Server.Rooms;
using StackExchange.Redis;
using static Chat.Server.Registry.Internal.ScriptReplies;

namespace Chat.Server.Registry;

/// <summary>
/// The registry of a cluster: rooms, members, nicknames and presence of every node, kept in Redis by
/// atomic scripts (<see cref="RegistryScripts"/>), in front of this node's own view (an
/// <see cref="InMemoryRoomRegistry"/> of the connections here). The hub's per-call look-ups
/// (<see cref="GetConnection"/>, <see cref="IsInRoom"/>, <see cref="GetNicknameInRoom"/>) stay local and synchronous. Each change is
/// made here first, then in Redis; while Redis cannot be used the local answer stands (lists show this
/// node only, nicknames are unique on this node only) and the node's resync
/// (<see cref="RegistryNode.ResyncAsync"/>) catches Redis up once it answers again. A connection's
/// changes are serialized by its own gate, which the resync takes too, so a resync never races a join
/// or leave of the same connection.
/// </summary>
public sealed class RedisRoomRegistry : IRoomRegistry
{
    private readonly InMemoryRoomRegistry _local;
    private readonly RedisConnection _redis;
    private readonly ILogger<RedisRoomRegistry> _logger;
    private readonly RegistryNode _node;
    private readonly ConcurrentDictionary<string, TrackedConnection> _tracked;
    private readonly RedisValue _prefix;

    public RedisRoomRegistry(InMemoryRoomRegistry local, RedisConnection redis, ILogger<RedisRoomRegistry> logger)
    {
        _local = local;
        _redis = redis;
        _logger = logger;
        _prefix = redis.Prefix;

        // The node logs under this registry's category: a resync or a sweep is a registry event to whoever reads the logs.
        _node = new RegistryNode(local, redis, logger, () => RoomsChanged?.Invoke());
        _tracked = _node.Connections;
    }

    /// <summary>Raised after a change here or on another node, once Redis holds it.</summary>
    public event Action? RoomsChanged;

    /// <summary>This node's connections, its notices to other nodes and its duties in the cluster (<see cref="ClusterMembership"/> runs them).</summary>
    internal RegistryNode Node => _node;

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
            _node.MarkResyncNeeded();
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
            else if (answered && _node.LeftCluster)
            {
                // The node's goodbye already removed this connection and told its rooms.
                outcome = new DisconnectResult(local.Nickname, [], local.RoomsRemoved);
            }

            if (outcome.RoomsLeft.Count > 0)
            {
                await _node.ChangedAsync(answered);
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
                _node.MarkResyncNeeded();
                if (local.Outcome == RenameOutcome.Renamed)
                {
                    RoomsChanged?.Invoke();
                }

                return local;
            }

            await _node.RenamedAsync(tracked.UserId, nickname);
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
                _node.MarkResyncNeeded();
                if (local.UserJoined)
                {
                    RoomsChanged?.Invoke();
                }

                return local;
            }

            var outcome = local with { UserJoined = (int)values[0] == 2, Members = Sorted(Strings(values[1])) };
            if (outcome.UserJoined)
            {
                await _node.ChangedAsync(published: true);
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
                _node.MarkResyncNeeded();
                if (local.UserLeft)
                {
                    RoomsChanged?.Invoke();
                }

                return local;
            }

            var outcome = local with { UserLeft = (int)result! >= 2 };
            if (outcome.UserLeft)
            {
                await _node.ChangedAsync(published: true);
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

    public int LocalUserCount => _local.LocalUserCount;

    public ConnectionView? GetConnection(string connectionId) => _local.GetConnection(connectionId);

    public string? GetNickname(string connectionId) => _local.GetNickname(connectionId);

    public bool IsInRoom(string connectionId, string room) => _local.IsInRoom(connectionId, room);

    public string? GetNicknameInRoom(string connectionId, string room) => _local.GetNicknameInRoom(connectionId, room);

    private static IReadOnlyList<string> Sorted(IEnumerable<string> nicknames) => [.. nicknames.Order(StringComparer.OrdinalIgnoreCase)];

    private static RoomSummary Summary(string room, string[] nicknames)
    {
        var members = Sorted(nicknames);
        return new RoomSummary(room, members.Count, members);
    }

    private TrackedConnection Tracked(string connectionId) =>
        _tracked.TryGetValue(connectionId, out var tracked)
            ? tracked
            : throw new InvalidOperationException($"Connection {connectionId} is not registered.");

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
            _node.MarkResyncNeeded();
            RegistryLog.RegistryFallback(_logger, ex.Message);
            return (false, null);
        }
    }
}
