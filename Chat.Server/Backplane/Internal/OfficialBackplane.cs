using Chat.Server.Registry;
using Microsoft.AspNetCore.SignalR;

namespace Chat.Server.Backplane.Internal;

/// <summary>
/// Keeps one of Microsoft's <c>RedisHubLifetimeManager</c>s in use for the cluster layer
/// (<see cref="ClusterHubLifetimeManager{THub}"/>): every call on it bounded and skipped while Redis is
/// unreachable, each of this node's connections registered with it (with its user's group) and each
/// group stand-in (with its group) before anything else is asked of it for them, and a new one built, with everything
/// registered again, once Redis answers after an outage or after a call on the old one failed.
/// </summary>
internal sealed class OfficialBackplane<THub> : IDisposable
    where THub : Hub
{
    private readonly RedisConnection _redis;
    private readonly ISet<string> _nodeLocalGroups;
    private readonly Func<HubLifetimeManager<THub>> _create;
    private readonly Func<IEnumerable<ClusterConnection>> _connections;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _building = new(1, 1);
    private volatile BackplaneGeneration<THub>? _current;
    private int _generations;
    private int _buildRequested;
    private volatile bool _disposed;

    public OfficialBackplane(RedisConnection redis, ISet<string> nodeLocalGroups, Func<HubLifetimeManager<THub>> create, Func<IEnumerable<ClusterConnection>> connections, ILogger logger)
    {
        _redis = redis;
        _nodeLocalGroups = nodeLocalGroups;
        _create = create;
        _connections = connections;
        _logger = logger;
        redis.Lost += OnRedisLost;
        redis.Recovered += OnRedisRecovered;
        RequestBuild(TimeSpan.Zero);
    }

    /// <summary>Which build is in use (1 after start, one more after each outage); 0 before Redis first answered.</summary>
    public int GenerationNumber => _current?.Number ?? 0;

    /// <summary>True while the backplane in use is sound and holds this node's connections and groups.</summary>
    public bool IsRegistered => _current is { Stale: false, Registered: true };

    /// <summary>True when a send to the other nodes can be handed over now.</summary>
    public bool IsUsable => _current is not null && _redis.IsAvailable;

    /// <summary>Tells the backplane a connection left, once its registration there is done, if it is registered with the one in use.</summary>
    public Task UnregisterAsync(object? registeredWith, RemoteDelivery? delivery, Task registration) =>
        registeredWith is BackplaneGeneration<THub> backplane && ReferenceEquals(backplane, _current) && delivery is not null && _redis.IsAvailable
            ? WaitForBackplaneAsync(backplane, ThenAsync(registration, () => backplane.Manager.OnDisconnectedAsync(delivery)))
            : Task.CompletedTask;

    public void Dispose()
    {
        _disposed = true;
        _redis.Lost -= OnRedisLost;
        _redis.Recovered -= OnRedisRecovered;
        Retire(_current);
        _current = null;
    }

    private static async Task ThenAsync(Task first, Func<Task> next)
    {
        await first;
        await next();
    }

    /// <summary>Hands a send to the official manager, unless Redis is known to be unreachable; it serializes nothing again.</summary>
    public Task? Publish(SerializedHubMessage message, object?[] args, Func<HubLifetimeManager<THub>, Task> send)
    {
        if (_current is not { } backplane || !_redis.IsAvailable)
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

    public async Task<bool> WaitForPublishAsync(Task? publish)
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
            BackplaneLog.PublishFailed(_logger, ex.Message);
            return false;
        }
    }

    /// <summary>
    /// Runs <paramref name="call"/> on the backplane once this connection is registered with it,
    /// waiting a bounded time. Nothing happens while Redis is unreachable: the next build registers
    /// the connection with every group it is in by then.
    /// </summary>
    public Task RunForAsync(ClusterConnection member, Func<HubLifetimeManager<THub>, Task>? call)
    {
        if (_current is not { } backplane || !_redis.IsAvailable)
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
            string[] groups = member.RegistersGroups ? [.. member.Groups.Where(group => !_nodeLocalGroups.Contains(group))] : [];
            member.RegisteredWith = backplane;
            member.Delivery = delivery;
            member.Registration = RegisterAsync(backplane.Manager, delivery, string.IsNullOrEmpty(user) ? groups : [ClusterHubLifetimeManager<THub>.UserGroupPrefix + user, .. groups]);
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
    public async Task GroupCommandAsync(Func<HubLifetimeManager<THub>, Task> command)
    {
        if (_current is not { } backplane || !_redis.IsAvailable)
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
            BackplaneLog.GroupCommandUnanswered(_logger, ex.Message);
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
            BackplaneLog.BackplaneCallFailed(_logger, backplane.Number, ex.Message);
            if (!backplane.Stale)
            {
                backplane.Stale = true;
                RequestBuild(_redis.OperationTimeout);
            }
        }
    }

    private void OnRedisLost()
    {
        if (_current is { } backplane)
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
                BackplaneLog.BackplaneBuildFailed(_logger, ex);
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
        if (_disposed || !_redis.IsAvailable || _current is { Stale: false })
        {
            return;
        }

        var previous = _current;
        var next = new BackplaneGeneration<THub>(_create(), Interlocked.Increment(ref _generations));
        _current = next;
        Retire(previous);

        var registrations = new List<Task>();
        foreach (var member in _connections())
        {
            registrations.Add(Register(next, member));
        }

        try
        {
            await Task.WhenAll(registrations).WaitAsync(_redis.OperationTimeout * 10);
            next.Registered = true;
            BackplaneLog.BackplaneBuilt(_logger, next.Number, registrations.Count);
        }
        catch (Exception ex)
        {
            BackplaneLog.BackplaneCallFailed(_logger, next.Number, ex.Message);
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
            BackplaneLog.BackplaneCallFailed(_logger, backplane!.Number, ex.Message);
        }
    }
}
