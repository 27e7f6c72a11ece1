using Chat.Server.Backplane.Internal;
using Chat.Server.Registry;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.Options;
using SignalRRedisOptions = Microsoft.AspNetCore.SignalR.StackExchangeRedis.RedisOptions;

namespace Chat.Server.Backplane;

/// <summary>
/// The cluster's hub lifetime manager: Microsoft's Redis backplane
/// (<c>Microsoft.AspNetCore.SignalR.StackExchangeRedis</c>) carries every send between nodes, and this
/// thin layer around it keeps a node serving its own clients whatever Redis does:
/// <list type="bullet">
/// <item>It keeps this node's own view (connections, groups, users) and writes a send to the
/// connections here itself, at once; the publish excludes them, so the official manager's echo of it
/// reaches nobody here twice. The official manager would route group and all-sends through Redis
/// even to members on this node, and fault them while Redis is down.</item>
/// <item>In the official manager, this node's members of a group are one stand-in per group
/// (<see cref="GroupDelivery"/>), so a group publish from here excludes one id, not every member
/// here. Exclusions a caller names (the hub's <c>OthersInGroup</c>: the caller) are connections on
/// this node and are applied here; a group send cannot exclude a connection on another node.</item>
/// <item>A new connection is accepted before and whatever the backplane answers: the official
/// <c>OnConnectedAsync</c> awaits a SUBSCRIBE, which while Redis is away would close every new
/// connection. Every call on the backplane is bounded by <see cref="RedisOptions.OperationTimeout"/>
/// and skipped while the probe says Redis is unreachable.</item>
/// <item>After an outage (or a failed call on it) it builds a new official manager and registers this
/// node's connections and groups with it again, so other nodes reach them; room messages missed
/// meanwhile are fetched by <c>seq</c>.</item>
/// </list>
/// Sends to a user travel as a group per user (<see cref="UserGroupPrefix"/>), because the official
/// user channel cannot exclude the connections already written here; sends to everyone travel as the
/// group <see cref="EveryoneGroup"/>, which each node's one stand-in for all its connections is in.
/// </summary>
public sealed class ClusterHubLifetimeManager<THub> : HubLifetimeManager<THub>, IDisposable
    where THub : Hub
{
    /// <summary>The backplane group of each user's connections; room groups never start with it.</summary>
    public const string UserGroupPrefix = "~user:";

    /// <summary>The backplane group sends to everyone travel as: one stand-in per node for all its connections.</summary>
    public const string EveryoneGroup = "~everyone";

    private readonly HubConnectionStore _connections = new();
    private readonly LocalMembers _users = new();
    private readonly ISet<string> _nodeLocalGroups;
    private readonly LocalGroups _groups;
    private readonly ILogger _logger;
    private readonly OfficialBackplane<THub> _backplane;

    public ClusterHubLifetimeManager(
        RedisConnection redis,
        IOptions<RedisOptions> options,
        IOptions<SignalRRedisOptions> backplaneOptions,
        IHubProtocolResolver protocols,
        ILoggerFactory loggers,
        IOptions<HubOptions>? globalHubOptions = null,
        IOptions<HubOptions<THub>>? hubOptions = null)
    {
        _nodeLocalGroups = options.Value.NodeLocalGroups;
        _groups = new LocalGroups(EveryoneGroup, WriteToGroupHereAsync, WriteToEveryoneHereAsync);
        _logger = loggers.CreateLogger<ClusterHubLifetimeManager<THub>>();
        var officialLogger = loggers.CreateLogger<Microsoft.AspNetCore.SignalR.StackExchangeRedis.RedisHubLifetimeManager<THub>>();
        var resolver = new PreSerializedProtocols(protocols);
        Func<HubLifetimeManager<THub>> create = globalHubOptions is not null && hubOptions is not null
            ? () => new Microsoft.AspNetCore.SignalR.StackExchangeRedis.RedisHubLifetimeManager<THub>(officialLogger, backplaneOptions, resolver, globalHubOptions, hubOptions)
            : () => new Microsoft.AspNetCore.SignalR.StackExchangeRedis.RedisHubLifetimeManager<THub>(officialLogger, backplaneOptions, resolver);
        _backplane = new OfficialBackplane<THub>(redis, _nodeLocalGroups, create, LocalConnections, _logger);
    }

    /// <summary>Which build of the official manager is in use (1 after start, one more after each outage); 0 before Redis first answered.</summary>
    public int BackplaneGenerationNumber => _backplane.GenerationNumber;

    /// <summary>True while the backplane in use is sound and holds this node's connections and groups: other nodes reach every client here.</summary>
    public bool IsRegistered => _backplane.IsRegistered;

    public override Task OnConnectedAsync(HubConnectionContext connection)
    {
        var member = new ClusterConnection(connection);
        connection.Features.Set(member);
        _connections.Add(connection);
        if (!string.IsNullOrEmpty(connection.UserIdentifier))
        {
            _users.Add(connection.UserIdentifier, connection);
        }

        // Other nodes reach it once it is registered, and its node's stand-in for everyone: now,
        // bounded, or by the next build.
        var everyone = _groups.Everyone();
        return _backplane.RunForAsync(member, _ => _backplane.RunForAsync(everyone, call: null));
    }

    public override async Task OnDisconnectedAsync(HubConnectionContext connection)
    {
        _connections.Remove(connection);
        if (!string.IsNullOrEmpty(connection.UserIdentifier))
        {
            _users.Remove(connection.UserIdentifier, connection);
        }

        if (connection.Features.Get<ClusterConnection>() is not { } member)
        {
            return;
        }

        string[] groups;
        object? registeredWith;
        RemoteDelivery? delivery;
        Task registration;
        lock (member)
        {
            member.Closed = true;
            groups = [.. member.Groups];
            member.Groups.Clear();
            (registeredWith, delivery, registration) = (member.RegisteredWith, member.Delivery, member.Registration);
        }

        var emptied = new List<ClusterConnection>();
        foreach (var group in groups)
        {
            if (_groups.Remove(group, connection) is { } standIn)
            {
                emptied.Add(standIn);
            }
        }

        await _backplane.UnregisterAsync(registeredWith, delivery, registration);
        await Task.WhenAll(emptied.Select(EndStandInAsync));
    }

    public override Task SendAllAsync(string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        SendToEveryoneAsync(methodName, args, excluded: null);

    public override Task SendAllExceptAsync(string methodName, object?[] args, IReadOnlyList<string> excludedConnectionIds, CancellationToken cancellationToken = default) =>
        SendToEveryoneAsync(methodName, args, excludedConnectionIds);

    public override Task SendConnectionAsync(string connectionId, string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        SendConnectionsAsync([connectionId], methodName, args, cancellationToken);

    public override Task SendConnectionsAsync(IReadOnlyList<string> connectionIds, string methodName, object?[] args, CancellationToken cancellationToken = default)
    {
        var message = Serialize(methodName, args);
        var writes = new Writes();
        List<string>? remote = null;
        foreach (var connectionId in connectionIds)
        {
            if (_connections[connectionId] is { } connection)
            {
                writes.Add(connection, message);
            }
            else
            {
                (remote ??= []).Add(connectionId);
            }
        }

        if (remote is not null)
        {
            Observe(_backplane.Publish(message, args, backplane => backplane.SendConnectionsAsync(remote, methodName, args)));
        }

        return writes.WhenAll();
    }

    public override Task SendGroupAsync(string groupName, string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        SendToGroupAsync(groupName, methodName, args, Serialize(methodName, args), excluded: null);

    public override Task SendGroupExceptAsync(string groupName, string methodName, object?[] args, IReadOnlyList<string> excludedConnectionIds, CancellationToken cancellationToken = default) =>
        SendToGroupAsync(groupName, methodName, args, Serialize(methodName, args), excludedConnectionIds);

    public override Task SendGroupsAsync(IReadOnlyList<string> groupNames, string methodName, object?[] args, CancellationToken cancellationToken = default)
    {
        var message = Serialize(methodName, args);
        return Task.WhenAll(groupNames.Select(group => SendToGroupAsync(group, methodName, args, message, excluded: null)));
    }

    public override Task SendUserAsync(string userId, string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        SendUsersAsync([userId], methodName, args, cancellationToken);

    /// <remarks>
    /// Unlike room messages (stored, and fetched again by seq), a message to a user exists only in this
    /// send, so the caller learns when Redis was believed reachable but the publish did not go out.
    /// </remarks>
    public override async Task SendUsersAsync(IReadOnlyList<string> userIds, string methodName, object?[] args, CancellationToken cancellationToken = default)
    {
        var message = Serialize(methodName, args);
        var writes = new Writes();
        var publishes = new List<Task<bool>>();
        var wasAvailable = _backplane.IsUsable;
        foreach (var userId in userIds.Distinct(StringComparer.Ordinal))
        {
            var here = WriteToMembers(ref writes, _users[userId], message, excluded: null);
            var group = UserGroupPrefix + userId;
            publishes.Add(_backplane.WaitForPublishAsync(_backplane.Publish(message, args, backplane => SendToBackplaneGroupAsync(backplane, group, methodName, args, here))));
        }

        await writes.WhenAll();
        var published = await Task.WhenAll(publishes);
        if (wasAvailable && published.Contains(false))
        {
            throw new RedisUnavailableException("The message could not be passed to the other servers.");
        }
    }

    public override Task AddToGroupAsync(string connectionId, string groupName, CancellationToken cancellationToken = default)
    {
        if (_connections[connectionId] is not { } connection || connection.Features.Get<ClusterConnection>() is not { } member)
        {
            return _backplane.GroupCommandAsync(backplane => backplane.AddToGroupAsync(connectionId, groupName, cancellationToken));
        }

        ClusterConnection standIn;
        lock (member)
        {
            if (member.Closed || !member.Groups.Add(groupName))
            {
                return Task.CompletedTask;
            }

            standIn = _groups.Add(groupName, connection);
        }

        // The connection's own registration first (other nodes' sends to it, by id or to its user), then
        // its node's stand-in for the group: once both are in, sends from every node reach it.
        return _nodeLocalGroups.Contains(groupName)
            ? Task.CompletedTask
            : _backplane.RunForAsync(member, _ => _backplane.RunForAsync(standIn, call: null));
    }

    public override Task RemoveFromGroupAsync(string connectionId, string groupName, CancellationToken cancellationToken = default)
    {
        if (_connections[connectionId] is not { } connection || connection.Features.Get<ClusterConnection>() is not { } member)
        {
            return _backplane.GroupCommandAsync(backplane => backplane.RemoveFromGroupAsync(connectionId, groupName, cancellationToken));
        }

        ClusterConnection? emptied;
        lock (member)
        {
            if (!member.Groups.Remove(groupName))
            {
                return Task.CompletedTask;
            }

            emptied = _groups.Remove(groupName, connection);
        }

        return EndStandInAsync(emptied);
    }

    public void Dispose() => _backplane.Dispose();

    private IEnumerable<ClusterConnection> LocalConnections()
    {
        foreach (var connection in _connections)
        {
            if (connection.Features.Get<ClusterConnection>() is { } member)
            {
                yield return member;
            }
        }

        foreach (var standIn in _groups.StandIns())
        {
            yield return standIn;
        }
    }

    private Task WriteToEveryoneHereAsync(SerializedHubMessage message)
    {
        var writes = new Writes();
        WriteToMembers(ref writes, _connections, message, excluded: null, collect: false);
        return writes.WhenAll();
    }

    private Task EndStandInAsync(ClusterConnection? standIn)
    {
        if (standIn is null)
        {
            return Task.CompletedTask;
        }

        object? registeredWith;
        RemoteDelivery? delivery;
        Task registration;
        lock (standIn)
        {
            standIn.Closed = true;
            (registeredWith, delivery, registration) = (standIn.RegisteredWith, standIn.Delivery, standIn.Registration);
        }

        return _backplane.UnregisterAsync(registeredWith, delivery, registration);
    }

    /// <summary>What another node sent to a group, written to its members here.</summary>
    private Task WriteToGroupHereAsync(string groupName, SerializedHubMessage message)
    {
        var writes = new Writes();
        WriteToMembers(ref writes, _groups[groupName], message, excluded: null, collect: false);
        return writes.WhenAll();
    }

    private static SerializedHubMessage Serialize(string methodName, object?[] args) => new(new InvocationMessage(methodName, args));

    /// <summary>Writes to the members here that are not excluded; returns every member here (when asked to collect them), for the publish to exclude.</summary>
    private static List<string>? WriteToMembers(ref Writes writes, HubConnectionStore? members, SerializedHubMessage message, IReadOnlyList<string>? excluded, bool collect = true)
    {
        if (members is null)
        {
            return null;
        }

        var here = collect ? new List<string>(members.Count) : null;
        foreach (var connection in members)
        {
            here?.Add(connection.ConnectionId);
            if (excluded is null || !excluded.Contains(connection.ConnectionId))
            {
                writes.Add(connection, message);
            }
        }

        return here;
    }

    private static Task SendToBackplaneGroupAsync(HubLifetimeManager<THub> backplane, string group, string methodName, object?[] args, IReadOnlyList<string>? excluded) =>
        excluded is { Count: > 0 }
            ? backplane.SendGroupExceptAsync(group, methodName, args, excluded)
            : backplane.SendGroupAsync(group, methodName, args);

    private Task SendToEveryoneAsync(string methodName, object?[] args, IReadOnlyList<string>? excluded)
    {
        var message = Serialize(methodName, args);
        var writes = new Writes();
        WriteToMembers(ref writes, _connections, message, excluded, collect: false);

        // Exclusions are connections here, applied above; the publish skips this node's stand-in.
        IReadOnlyList<string>? notHere = _groups.EveryoneId is { } everyone ? [everyone] : null;
        Observe(_backplane.Publish(message, args, backplane => SendToBackplaneGroupAsync(backplane, EveryoneGroup, methodName, args, notHere)));
        return writes.WhenAll();
    }

    private Task SendToGroupAsync(string groupName, string methodName, object?[] args, SerializedHubMessage message, IReadOnlyList<string>? excluded)
    {
        var writes = new Writes();
        WriteToMembers(ref writes, _groups[groupName], message, excluded, collect: false);
        if (!_nodeLocalGroups.Contains(groupName))
        {
            // Not awaited: a room's delivery must not wait on Redis. A member elsewhere that misses a
            // message while Redis is away fetches it by seq once the next one arrives. The members here
            // are written above; the publish skips them through their stand-in.
            IReadOnlyList<string>? notHere = _groups.StandInId(groupName) is { } standIn ? [standIn] : null;
            Observe(_backplane.Publish(message, args, backplane => SendToBackplaneGroupAsync(backplane, groupName, methodName, args, notHere)));
        }

        return writes.WhenAll();
    }

    private void Observe(Task? task)
    {
        if (task is null)
        {
            return;
        }

        if (task.IsCompleted)
        {
            _ = task.Exception;
            return;
        }

        task.ContinueWith(
            static (failed, state) => BackplaneLog.BackgroundSendFailed((ILogger)state!, failed.Exception!.GetBaseException()),
            _logger,
            CancellationToken.None,
            TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
    }

    /// <summary>Writes to connections, collecting only the ones that did not complete at once.</summary>
    private struct Writes
    {
        private List<Task>? _pending;

        public void Add(HubConnectionContext connection, SerializedHubMessage message)
        {
            var write = connection.WriteAsync(message);
            if (!write.IsCompletedSuccessfully)
            {
                (_pending ??= []).Add(write.AsTask());
            }
        }

        public readonly Task WhenAll() => _pending is null ? Task.CompletedTask : Task.WhenAll(_pending);
    }
}
