using Chat.Server.Scaleout.Internal;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.Options;
using SignalRRedisOptions = Microsoft.AspNetCore.SignalR.StackExchangeRedis.RedisOptions;

namespace Chat.Server.Scaleout;

/// <summary>
/// The cluster's hub lifetime manager: Microsoft's Redis backplane
/// (<c>Microsoft.AspNetCore.SignalR.StackExchangeRedis</c>) carries every send between nodes, and this
/// thin layer around it keeps a node serving its own clients whatever Redis does:
/// <list type="bullet">
/// <item>It keeps this node's own view (connections, groups, users) and writes a send to the
/// connections here itself, at once; the publish excludes them, so the official manager's echo of it
/// reaches nobody here twice. The official manager would route group and all-sends through Redis
/// even to members on this node, and fault them while Redis is down.</item>
/// <item>A new connection is accepted before and whatever the backplane answers: the official
/// <c>OnConnectedAsync</c> awaits a SUBSCRIBE, which while Redis is away would close every new
/// connection. Every call on the backplane is bounded by <see cref="RedisOptions.OperationTimeout"/>
/// and skipped while the probe says Redis is unreachable.</item>
/// <item>After an outage (or a failed call on it) it builds a new official manager and registers this
/// node's connections and groups with it again, so other nodes reach them; room messages missed
/// meanwhile are fetched by <c>seq</c>.</item>
/// </list>
/// Sends to a user travel as a group per user (<see cref="UserGroupPrefix"/>), because the official
/// user channel cannot exclude the connections already written here.
/// </summary>
public sealed class ClusterHubLifetimeManager<THub> : HubLifetimeManager<THub>, IDisposable
    where THub : Hub
{
    /// <summary>The backplane group of each user's connections; room groups never start with it.</summary>
    public const string UserGroupPrefix = "~user:";

    private readonly HubConnectionStore _connections = new();
    private readonly LocalMembers _groups = new();
    private readonly LocalMembers _users = new();
    private readonly RedisConnection _redis;
    private readonly ISet<string> _nodeLocalGroups;
    private readonly Func<HubLifetimeManager<THub>> _createBackplane;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _building = new(1, 1);
    private volatile BackplaneGeneration<THub>? _backplane;
    private int _generations;
    private int _buildRequested;
    private volatile bool _disposed;

    public ClusterHubLifetimeManager(
        RedisConnection redis,
        IOptions<RedisOptions> options,
        IOptions<SignalRRedisOptions> backplaneOptions,
        IHubProtocolResolver protocols,
        ILoggerFactory loggers,
        IOptions<HubOptions>? globalHubOptions = null,
        IOptions<HubOptions<THub>>? hubOptions = null)
    {
        _redis = redis;
        _nodeLocalGroups = options.Value.NodeLocalGroups;
        _logger = loggers.CreateLogger<ClusterHubLifetimeManager<THub>>();
        var officialLogger = loggers.CreateLogger<Microsoft.AspNetCore.SignalR.StackExchangeRedis.RedisHubLifetimeManager<THub>>();
        var resolver = new PreSerializedProtocols(protocols);
        _createBackplane = globalHubOptions is not null && hubOptions is not null
            ? () => new Microsoft.AspNetCore.SignalR.StackExchangeRedis.RedisHubLifetimeManager<THub>(officialLogger, backplaneOptions, resolver, globalHubOptions, hubOptions)
            : () => new Microsoft.AspNetCore.SignalR.StackExchangeRedis.RedisHubLifetimeManager<THub>(officialLogger, backplaneOptions, resolver);

        redis.Lost += OnRedisLost;
        redis.Recovered += OnRedisRecovered;
        RequestBuild(TimeSpan.Zero);
    }

    /// <summary>Which build of the official manager is in use (1 after start, one more after each outage); 0 before Redis first answered.</summary>
    public int BackplaneGenerationNumber => _backplane?.Number ?? 0;

    /// <summary>True while the backplane in use is sound and holds this node's connections and groups: other nodes reach every client here.</summary>
    public bool IsRegistered => _backplane is { Stale: false, Registered: true };

    public override Task OnConnectedAsync(HubConnectionContext connection)
    {
        var member = new ClusterConnection(connection);
        connection.Features.Set(member);
        _connections.Add(connection);
        if (!string.IsNullOrEmpty(connection.UserIdentifier))
        {
            _users.Add(connection.UserIdentifier, connection);
        }

        // Other nodes reach it once it is registered: now, bounded, or by the next build.
        return OnBackplaneAsync(member, call: null);
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

        foreach (var group in groups)
        {
            _groups.Remove(group, connection);
        }

        if (registeredWith is BackplaneGeneration<THub> backplane && ReferenceEquals(backplane, _backplane) && delivery is not null && _redis.IsAvailable)
        {
            await WaitForBackplaneAsync(backplane, ThenAsync(registration, () => backplane.Manager.OnDisconnectedAsync(delivery)));
        }
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
            Observe(Publish(message, args, backplane => backplane.SendConnectionsAsync(remote, methodName, args)));
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
        var wasAvailable = _redis.IsAvailable && _backplane is not null;
        foreach (var userId in userIds.Distinct(StringComparer.Ordinal))
        {
            var here = WriteToMembers(ref writes, _users[userId], message, excluded: null);
            var group = UserGroupPrefix + userId;
            publishes.Add(WaitForPublishAsync(Publish(message, args, backplane => SendToBackplaneGroupAsync(backplane, group, methodName, args, here))));
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
            return GroupCommandAsync(backplane => backplane.AddToGroupAsync(connectionId, groupName, cancellationToken));
        }

        lock (member)
        {
            if (member.Closed || !member.Groups.Add(groupName))
            {
                return Task.CompletedTask;
            }

            _groups.Add(groupName, connection);
        }

        return _nodeLocalGroups.Contains(groupName)
            ? Task.CompletedTask
            : OnBackplaneAsync(member, backplane => backplane.AddToGroupAsync(connectionId, groupName));
    }

    public override Task RemoveFromGroupAsync(string connectionId, string groupName, CancellationToken cancellationToken = default)
    {
        if (_connections[connectionId] is not { } connection || connection.Features.Get<ClusterConnection>() is not { } member)
        {
            return GroupCommandAsync(backplane => backplane.RemoveFromGroupAsync(connectionId, groupName, cancellationToken));
        }

        lock (member)
        {
            if (!member.Groups.Remove(groupName))
            {
                return Task.CompletedTask;
            }

            _groups.Remove(groupName, connection);
        }

        return _nodeLocalGroups.Contains(groupName)
            ? Task.CompletedTask
            : OnBackplaneAsync(member, backplane => backplane.RemoveFromGroupAsync(connectionId, groupName));
    }

    public void Dispose()
    {
        _disposed = true;
        _redis.Lost -= OnRedisLost;
        _redis.Recovered -= OnRedisRecovered;
        Retire(_backplane);
        _backplane = null;
    }

    private static SerializedHubMessage Serialize(string methodName, object?[] args) => new(new InvocationMessage(methodName, args));

    /// <summary>Writes to the members here that are not excluded; returns every member here, for the publish to exclude.</summary>
    private static List<string>? WriteToMembers(ref Writes writes, HubConnectionStore? members, SerializedHubMessage message, IReadOnlyList<string>? excluded)
    {
        if (members is null)
        {
            return null;
        }

        var here = new List<string>(members.Count);
        foreach (var connection in members)
        {
            here.Add(connection.ConnectionId);
            if (excluded is null || !excluded.Contains(connection.ConnectionId))
            {
                writes.Add(connection, message);
            }
        }

        return here;
    }

    private static IReadOnlyList<string>? Union(IReadOnlyList<string>? excluded, List<string>? here)
    {
        if (here is null || here.Count == 0)
        {
            return excluded;
        }

        if (excluded is not null)
        {
            here.AddRange(excluded);
        }

        return here;
    }

    private static Task SendToBackplaneGroupAsync(HubLifetimeManager<THub> backplane, string group, string methodName, object?[] args, IReadOnlyList<string>? excluded) =>
        excluded is { Count: > 0 }
            ? backplane.SendGroupExceptAsync(group, methodName, args, excluded)
            : backplane.SendGroupAsync(group, methodName, args);

    private static async Task ThenAsync(Task first, Func<Task> next)
    {
        await first;
        await next();
    }

    private Task SendToEveryoneAsync(string methodName, object?[] args, IReadOnlyList<string>? excluded)
    {
        var message = Serialize(methodName, args);
        var writes = new Writes();
        var here = WriteToMembers(ref writes, _connections, message, excluded);
        var notHere = Union(excluded, here);
        Observe(Publish(message, args, backplane => notHere is { Count: > 0 }
            ? backplane.SendAllExceptAsync(methodName, args, notHere)
            : backplane.SendAllAsync(methodName, args)));
        return writes.WhenAll();
    }

    private Task SendToGroupAsync(string groupName, string methodName, object?[] args, SerializedHubMessage message, IReadOnlyList<string>? excluded)
    {
        var writes = new Writes();
        var here = WriteToMembers(ref writes, _groups[groupName], message, excluded);
        if (!_nodeLocalGroups.Contains(groupName))
        {
            // Not awaited: a room's delivery must not wait on Redis. A member elsewhere that misses a
            // message while Redis is away fetches it by seq once the next one arrives.
            var notHere = Union(excluded, here);
            Observe(Publish(message, args, backplane => SendToBackplaneGroupAsync(backplane, groupName, methodName, args, notHere)));
        }

        return writes.WhenAll();
    }

    /// <summary>Hands a send to the official manager, unless Redis is known to be unreachable; it serializes nothing again.</summary>
    private Task? Publish(SerializedHubMessage message, object?[] args, Func<HubLifetimeManager<THub>, Task> send)
    {
        if (_backplane is not { } backplane || !_redis.IsAvailable)
        {
            return null;
        }

        using (PreSerializedProtocols.Reuse(message, args))
        {
            try
            {
                return send(backplane.Manager);
            }
            catch (Exception ex)
            {
                return Task.FromException(ex);
            }
        }
    }

    private async Task<bool> WaitForPublishAsync(Task? publish)
    {
        if (publish is null)
        {
            return false;
        }

        try
        {
            await _redis.BoundAsync(publish);
            return true;
        }
        catch (Exception ex)
        {
            ScaleoutLog.PublishFailed(_logger, ex.Message);
            return false;
        }
    }

    /// <summary>
    /// Runs <paramref name="call"/> on the backplane once this connection is registered with it,
    /// waiting a bounded time. Nothing happens while Redis is unreachable: the next build registers
    /// the connection with every group it is in by then.
    /// </summary>
    private Task OnBackplaneAsync(ClusterConnection member, Func<HubLifetimeManager<THub>, Task>? call)
    {
        if (_backplane is not { } backplane || !_redis.IsAvailable)
        {
            return Task.CompletedTask;
        }

        var registration = Register(backplane, member);
        return WaitForBackplaneAsync(backplane, call is null ? registration : ThenAsync(registration, () => call(backplane.Manager)));
    }

    /// <summary>Registers the connection, its user and its groups with <paramref name="backplane"/>, once per backplane.</summary>
    private Task Register(BackplaneGeneration<THub> backplane, ClusterConnection member)
    {
        lock (member)
        {
            if (member.Closed || ReferenceEquals(member.RegisteredWith, backplane))
            {
                return member.Closed ? Task.CompletedTask : member.Registration;
            }

            var delivery = new RemoteDelivery(member.Connection);
            var user = member.Connection.UserIdentifier;
            string[] groups = [.. member.Groups.Where(group => !_nodeLocalGroups.Contains(group))];
            member.RegisteredWith = backplane;
            member.Delivery = delivery;
            member.Registration = RegisterAsync(backplane.Manager, delivery, string.IsNullOrEmpty(user) ? groups : [UserGroupPrefix + user, .. groups]);
            return member.Registration;
        }

        static async Task RegisterAsync(HubLifetimeManager<THub> manager, RemoteDelivery delivery, string[] groups)
        {
            await Task.Yield();
            await manager.OnConnectedAsync(delivery);
            foreach (var group in groups)
            {
                await manager.AddToGroupAsync(delivery.ConnectionId, group);
            }
        }
    }

    /// <summary>A group change for a connection on another node: the official manager asks them all and waits for the one that has it, bounded.</summary>
    private async Task GroupCommandAsync(Func<HubLifetimeManager<THub>, Task> command)
    {
        if (_backplane is not { } backplane || !_redis.IsAvailable)
        {
            return;
        }

        try
        {
            await _redis.BoundAsync(command(backplane.Manager));
        }
        catch (Exception ex)
        {
            // No node has the connection (as on a single server, a no-op) or none answered in time.
            ScaleoutLog.GroupCommandUnanswered(_logger, ex.Message);
        }
    }

    /// <summary>Waits a bounded time for a call on the backplane; a failure retires that backplane for a new build.</summary>
    private async Task WaitForBackplaneAsync(BackplaneGeneration<THub> backplane, Task call)
    {
        if (call.IsCompletedSuccessfully)
        {
            return;
        }

        try
        {
            await _redis.BoundAsync(call);
        }
        catch (Exception ex)
        {
            ScaleoutLog.BackplaneCallFailed(_logger, backplane.Number, ex.Message);
            if (!backplane.Stale)
            {
                backplane.Stale = true;
                RequestBuild(_redis.OperationTimeout);
            }
        }
    }

    private void OnRedisLost()
    {
        if (_backplane is { } backplane)
        {
            backplane.Stale = true;
        }
    }

    private void OnRedisRecovered() => RequestBuild(TimeSpan.Zero);

    /// <summary>Builds a new backplane after <paramref name="delay"/> when none is in use or the one in use is stale; one request waits at a time.</summary>
    private void RequestBuild(TimeSpan delay)
    {
        if (_disposed || Interlocked.Exchange(ref _buildRequested, 1) == 1)
        {
            return;
        }

        _ = Task.Run(async () =>
        {
            try
            {
                if (delay > TimeSpan.Zero)
                {
                    await Task.Delay(delay);
                }

                await _building.WaitAsync();
                try
                {
                    Volatile.Write(ref _buildRequested, 0);
                    await BuildAsync();
                }
                finally
                {
                    _building.Release();
                }
            }
            catch (Exception ex)
            {
                ScaleoutLog.BackplaneBuildFailed(_logger, ex);
            }
        });
    }

    /// <summary>
    /// Replaces the backplane: a new official manager with its own multiplexer, this node's connections
    /// and groups registered with it. The old one is disposed first, so no message reaches a
    /// connection twice; what other nodes send until the registration is done is missed here (rooms
    /// recover it by seq).
    /// </summary>
    private async Task BuildAsync()
    {
        if (_disposed || !_redis.IsAvailable || _backplane is { Stale: false })
        {
            return;
        }

        var previous = _backplane;
        var next = new BackplaneGeneration<THub>(_createBackplane(), Interlocked.Increment(ref _generations));
        _backplane = next;
        Retire(previous);

        var registrations = new List<Task>();
        foreach (var connection in _connections)
        {
            if (connection.Features.Get<ClusterConnection>() is { } member)
            {
                registrations.Add(Register(next, member));
            }
        }

        try
        {
            await Task.WhenAll(registrations).WaitAsync(_redis.OperationTimeout * 10);
            next.Registered = true;
            ScaleoutLog.BackplaneBuilt(_logger, next.Number, registrations.Count);
        }
        catch (Exception ex)
        {
            ScaleoutLog.BackplaneCallFailed(_logger, next.Number, ex.Message);
            next.Stale = true;
            RequestBuild(_redis.OperationTimeout);
        }
    }

    private void Retire(BackplaneGeneration<THub>? backplane)
    {
        try
        {
            backplane?.Dispose();
        }
        catch (Exception ex)
        {
            // Its multiplexer is closed either way; unsubscribing from a Redis that is gone can fail.
            ScaleoutLog.BackplaneCallFailed(_logger, backplane!.Number, ex.Message);
        }
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
            static (failed, state) => ScaleoutLog.BackgroundSendFailed((ILogger)state!, failed.Exception!.GetBaseException()),
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
