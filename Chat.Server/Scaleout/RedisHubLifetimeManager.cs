using System.Collections.Concurrent;
using Chat.Server.Scaleout.Internal;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Chat.Server.Scaleout;

/// <summary>
/// A SignalR backplane over Redis pub/sub. Every send reaches the connections on every node: this
/// node's own connections get the message directly (never through Redis), the other nodes get one
/// publish, serialized once by each hub protocol and written as those same bytes to their
/// connections. A node subscribes to a group's (or user's) channel only while it has a member there.
/// When Redis is unreachable, local delivery goes on and publishes are skipped: room messages are
/// numbered and stored in PostgreSQL, so members on other nodes fetch what they missed by <c>seq</c>.
/// </summary>
public sealed class RedisHubLifetimeManager<THub> : HubLifetimeManager<THub>, IDisposable
    where THub : Hub
{
    private readonly HubConnectionStore _connections = new();
    private readonly ChannelMembers _groups;
    private readonly ChannelMembers _users;
    private readonly RedisConnection _redis;
    private readonly RedisChannels _channels;
    private readonly ISet<string> _nodeLocalGroups;
    private readonly IReadOnlyList<IHubProtocol> _protocols;
    private readonly ILogger _logger;
    private readonly Action<RedisChannel, RedisValue> _onMessage;
    private readonly ConcurrentDictionary<int, TaskCompletionSource> _pendingAcks = new();
    private readonly Task _nodeChannels;
    private int _lastCommandId;

    public RedisHubLifetimeManager(
        ILogger<RedisHubLifetimeManager<THub>> logger,
        IOptions<RedisOptions> options,
        IHubProtocolResolver protocols,
        RedisConnection redis)
    {
        _logger = logger;
        _redis = redis;
        _protocols = protocols.AllProtocols;
        _nodeLocalGroups = options.Value.NodeLocalGroups;
        _channels = new RedisChannels(redis.Prefix, typeof(THub).Name);
        _onMessage = OnMessage;
        _groups = new ChannelMembers(
            group => Subscribe(_channels.Group(group)),
            group => Unsubscribe(_channels.Group(group)),
            group => !_nodeLocalGroups.Contains(group));
        _users = new ChannelMembers(
            user => Subscribe(_channels.User(user)),
            user => Unsubscribe(_channels.User(user)),
            static _ => true);

        // Always subscribed: sends to everyone or to listed connections, group commands, and this node's acks.
        _nodeChannels = Task.WhenAll(Subscribe(_channels.All), Subscribe(_channels.Node(redis.NodeId)));
        Observe(_nodeChannels);
    }

    public override async Task OnConnectedAsync(HubConnectionContext connection)
    {
        // A connection other nodes cannot reach yet (a group command to it would go unheard) waits for
        // this node's own channels, which only the first connections after start can find unsubscribed.
        await WaitForSubscriptionAsync(_nodeChannels);
        connection.Features.Set(new GroupMemberships());
        _connections.Add(connection);
        if (!string.IsNullOrEmpty(connection.UserIdentifier))
        {
            await WaitForSubscriptionAsync(_users.Add(connection.UserIdentifier, connection));
        }
    }

    public override async Task OnDisconnectedAsync(HubConnectionContext connection)
    {
        _connections.Remove(connection);
        var unsubscriptions = new List<Task?>();
        foreach (var group in connection.Features.Get<GroupMemberships>()?.TakeAll() ?? [])
        {
            unsubscriptions.Add(_groups.Remove(group, connection));
        }

        if (!string.IsNullOrEmpty(connection.UserIdentifier))
        {
            unsubscriptions.Add(_users.Remove(connection.UserIdentifier, connection));
        }

        await WaitForSubscriptionAsync(Task.WhenAll(unsubscriptions.OfType<Task>()));
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
            // Which node has a connection is not tracked: one publish to all, and the node that has it writes.
            Observe(Publish(_channels.All, Audience.Connections, string.Empty, remote, excluded: null, message));
        }

        return writes.WhenAll();
    }

    public override Task SendGroupAsync(string groupName, string methodName, object?[] args, CancellationToken cancellationToken = default) =>
        SendToGroupAsync(groupName, Serialize(methodName, args), excluded: null);

    public override Task SendGroupExceptAsync(string groupName, string methodName, object?[] args, IReadOnlyList<string> excludedConnectionIds, CancellationToken cancellationToken = default) =>
        SendToGroupAsync(groupName, Serialize(methodName, args), excludedConnectionIds);

    public override Task SendGroupsAsync(IReadOnlyList<string> groupNames, string methodName, object?[] args, CancellationToken cancellationToken = default)
    {
        var message = Serialize(methodName, args);
        return Task.WhenAll(groupNames.Select(group => SendToGroupAsync(group, message, excluded: null)));
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
        var wasAvailable = _redis.IsAvailable;
        foreach (var userId in userIds.Distinct(StringComparer.Ordinal))
        {
            if (_users[userId] is { } members)
            {
                foreach (var connection in members)
                {
                    writes.Add(connection, message);
                }
            }

            publishes.Add(Publish(_channels.User(userId), Audience.User, userId, targets: null, excluded: null, message));
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
        if (_connections[connectionId] is { } connection)
        {
            return WaitForSubscriptionAsync(AddToGroupLocally(connection, groupName));
        }

        return SendGroupCommandAsync(GroupAction.Add, groupName, connectionId, cancellationToken);
    }

    public override Task RemoveFromGroupAsync(string connectionId, string groupName, CancellationToken cancellationToken = default)
    {
        if (_connections[connectionId] is { } connection)
        {
            return WaitForSubscriptionAsync(RemoveFromGroupLocally(connection, groupName));
        }

        return SendGroupCommandAsync(GroupAction.Remove, groupName, connectionId, cancellationToken);
    }

    public void Dispose()
    {
        foreach (var pending in _pendingAcks.Values)
        {
            pending.TrySetCanceled();
        }
    }

    private SerializedHubMessage Serialize(string methodName, object?[] args) => new(new InvocationMessage(methodName, args));

    private Task SendToEveryoneAsync(string methodName, object?[] args, IReadOnlyList<string>? excluded)
    {
        var message = Serialize(methodName, args);
        var writes = new Writes();
        foreach (var connection in _connections)
        {
            if (excluded is null || !excluded.Contains(connection.ConnectionId))
            {
                writes.Add(connection, message);
            }
        }

        Observe(Publish(_channels.All, Audience.All, string.Empty, targets: null, excluded, message));
        return writes.WhenAll();
    }

    private Task SendToGroupAsync(string groupName, SerializedHubMessage message, IReadOnlyList<string>? excluded)
    {
        var writes = new Writes();
        if (_groups[groupName] is { } members)
        {
            foreach (var connection in members)
            {
                if (excluded is null || !excluded.Contains(connection.ConnectionId))
                {
                    writes.Add(connection, message);
                }
            }
        }

        if (!_nodeLocalGroups.Contains(groupName))
        {
            // Not awaited: a room's delivery must not wait on Redis. A member elsewhere that misses a
            // message while Redis is away fetches it by seq once the next one arrives.
            Observe(Publish(_channels.Group(groupName), Audience.Group, groupName, targets: null, excluded, message));
        }

        return writes.WhenAll();
    }

    /// <summary>Serializes the envelope (once) and publishes it; the publish is issued before this returns.</summary>
    private Task<bool> Publish(string channel, Audience audience, string name, IReadOnlyList<string>? targets, IReadOnlyList<string>? excluded, SerializedHubMessage message)
    {
        if (!_redis.IsAvailable)
        {
            return Task.FromResult(false);
        }

        var payload = RedisEnvelope.WriteInvocation(_redis.NodeId, audience, name, targets, excluded, message, _protocols);
        ScaleoutLog.Publishing(_logger, channel, payload.Length);
        return _redis.TryPublishAsync(channel, payload);
    }

    private Task? AddToGroupLocally(HubConnectionContext connection, string groupName)
    {
        connection.Features.Get<GroupMemberships>()?.Add(groupName);
        return _groups.Add(groupName, connection);
    }

    private Task? RemoveFromGroupLocally(HubConnectionContext connection, string groupName)
    {
        connection.Features.Get<GroupMemberships>()?.Remove(groupName);
        return _groups.Remove(groupName, connection);
    }

    /// <summary>
    /// Asks whichever node has the connection to add it to (or remove it from) a group, and waits for
    /// its acknowledgement, at most the operation timeout: a connection nobody has is a no-op, as it is
    /// for a single server.
    /// </summary>
    private async Task SendGroupCommandAsync(GroupAction action, string groupName, string connectionId, CancellationToken cancellationToken)
    {
        // The acknowledgement comes on this node's channel: it must be listening before it asks.
        await WaitForSubscriptionAsync(_nodeChannels);
        var id = Interlocked.Increment(ref _lastCommandId);
        var acknowledged = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _pendingAcks[id] = acknowledged;
        try
        {
            var payload = RedisEnvelope.WriteGroupCommand(_redis.NodeId, id, action, groupName, connectionId);
            if (!await _redis.TryPublishAsync(_channels.All, payload))
            {
                return;
            }

            await acknowledged.Task.WaitAsync(_redis.OperationTimeout, cancellationToken);
        }
        catch (TimeoutException)
        {
            ScaleoutLog.GroupCommandUnanswered(_logger, connectionId, groupName);
        }
        finally
        {
            _pendingAcks.TryRemove(id, out _);
        }
    }

    private void OnMessage(RedisChannel channel, RedisValue value)
    {
        try
        {
            var envelope = RedisEnvelope.ReadFromOthers(value!, _redis.NodeId);
            if (envelope is null)
            {
                return;
            }

            switch (envelope.Kind)
            {
                case EnvelopeKind.Invocation:
                    Deliver(envelope);
                    break;
                case EnvelopeKind.GroupCommand:
                    Observe(RunGroupCommandAsync(envelope));
                    break;
                case EnvelopeKind.Ack:
                    if (_pendingAcks.TryRemove(envelope.CommandId, out var acknowledged))
                    {
                        acknowledged.TrySetResult();
                    }

                    break;
            }
        }
        catch (Exception ex)
        {
            ScaleoutLog.ReceiveFailed(_logger, channel.ToString(), ex);
        }
    }

    /// <summary>Writes a message from another node to the connections here it is for, in the order messages arrive.</summary>
    private void Deliver(RedisEnvelope envelope)
    {
        var writes = new Writes();
        switch (envelope.Audience)
        {
            case Audience.All:
                WriteToMembers(ref writes, _connections, envelope);
                break;
            case Audience.Group when _groups[envelope.Name] is { } members:
                WriteToMembers(ref writes, members, envelope);
                break;
            case Audience.User when _users[envelope.Name] is { } members:
                WriteToMembers(ref writes, members, envelope);
                break;
            case Audience.Connections:
                foreach (var connectionId in envelope.Targets)
                {
                    if (_connections[connectionId] is { } connection)
                    {
                        writes.Add(connection, envelope.Message!);
                    }
                }

                break;
        }

        Observe(writes.WhenAll());
    }

    private static void WriteToMembers(ref Writes writes, HubConnectionStore members, RedisEnvelope envelope)
    {
        foreach (var connection in members)
        {
            if (envelope.Excluded.Count == 0 || !envelope.Excluded.Contains(connection.ConnectionId))
            {
                writes.Add(connection, envelope.Message!);
            }
        }
    }

    private async Task RunGroupCommandAsync(RedisEnvelope command)
    {
        if (_connections[command.ConnectionId] is not { } connection)
        {
            return;
        }

        var subscription = command.Action == GroupAction.Add
            ? AddToGroupLocally(connection, command.Name)
            : RemoveFromGroupLocally(connection, command.Name);
        await WaitForSubscriptionAsync(subscription);
        await _redis.TryPublishAsync(_channels.Node(command.Source), RedisEnvelope.WriteAck(_redis.NodeId, command.CommandId));
    }

    private Task Subscribe(string channel)
    {
        ScaleoutLog.Subscribing(_logger, channel);
        try
        {
            return _redis.Subscriber.SubscribeAsync(RedisChannel.Literal(channel), _onMessage);
        }
        catch (RedisException ex)
        {
            return Task.FromException(ex);
        }
    }

    private Task Unsubscribe(string channel)
    {
        ScaleoutLog.Unsubscribing(_logger, channel);
        try
        {
            return _redis.Subscriber.UnsubscribeAsync(RedisChannel.Literal(channel), _onMessage);
        }
        catch (RedisException ex)
        {
            return Task.FromException(ex);
        }
    }

    /// <summary>
    /// Waits a bounded time for a subscription change. The multiplexer keeps the subscription either
    /// way and sends it when Redis is back, so a slow Redis only delays remote delivery to this node.
    /// </summary>
    private async Task WaitForSubscriptionAsync(Task? subscription)
    {
        if (subscription is null || subscription.IsCompletedSuccessfully)
        {
            return;
        }

        if (!_redis.IsAvailable)
        {
            Observe(subscription);
            return;
        }

        try
        {
            await _redis.BoundAsync(subscription);
        }
        catch (RedisUnavailableException ex)
        {
            ScaleoutLog.SubscriptionDelayed(_logger, ex.Message);
        }
    }

    private void Observe(Task task)
    {
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

    /// <summary>The groups one local connection is in, so they can be left when it disconnects.</summary>
    private sealed class GroupMemberships
    {
        private readonly HashSet<string> _groups = new(StringComparer.Ordinal);

        public void Add(string group)
        {
            lock (_groups)
            {
                _groups.Add(group);
            }
        }

        public void Remove(string group)
        {
            lock (_groups)
            {
                _groups.Remove(group);
            }
        }

        public string[] TakeAll()
        {
            lock (_groups)
            {
                var all = _groups.ToArray();
                _groups.Clear();
                return all;
            }
        }
    }
}
