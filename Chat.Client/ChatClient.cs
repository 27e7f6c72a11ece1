using System.Collections.Concurrent;
using System.Net.Sockets;
using Chat.Client.Internal;
using Chat.Protocol;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.Http.Connections.Client;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Chat.Client;

/// <summary>
/// A chat connection with the typed API every .NET client uses. It reconnects by itself (never giving
/// up until disposed), and after a reconnect it rejoins its rooms, fetches what it missed by
/// <c>seq</c> and resends unacknowledged messages with their ids, so <see cref="MessageReceived"/>
/// sees each room message once and in order, and no acknowledged send is lost or doubled.
/// </summary>
/// <remarks>
/// Every event is raised on one ordered stream, one at a time, so an application can show them as they
/// come: a room's <see cref="RoomJoined"/> comes before any <see cref="MessageReceived"/> of that room;
/// after a reconnect, <see cref="Reconnected"/> comes before the messages it recovered, and those before
/// newer ones. Events that happen while a reconnect is under way wait for its <see cref="Reconnected"/>.
/// </remarks>
/// <remarks>
/// Each connect and reconnect gets a new <see cref="HubConnection"/> from <c>WithUrl</c>: a
/// <see cref="HubConnection"/> keeps its URL for life, and the URL asks for the nickname the user has
/// now (renamed, or assigned by the server), so a reconnect comes back under the same name.
/// </remarks>
public sealed class ChatClient : IAsyncDisposable
{
    private static readonly TimeSpan RetryPause = TimeSpan.FromMilliseconds(50);

    private readonly ChatClientOptions _options;
    private readonly ConcurrentDictionary<string, RoomSequence> _rooms = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _lifetime = new();
    private readonly ILogger _logger;
    private readonly OrderedEvents _events = new();
    private readonly Lock _stateGate = new();
    private TaskCompletionSource _ready = NewSignal();
    private TaskCompletionSource<Exception?> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private HubConnection? _connection;
    private volatile bool _established;
    private volatile bool _reconnecting;
    private volatile bool _closedForGood;
    private string? _nickname;

    public ChatClient(ChatClientOptions options)
    {
        if (!options.Negotiate && !options.Transports.HasFlag(HttpTransportType.WebSockets))
        {
            throw new ArgumentException(
                $"Without {nameof(ChatClientOptions.Negotiate)} the client connects straight to the hub's WebSocket; other transports need negotiate.",
                nameof(options));
        }

        _options = options;
        _nickname = options.Nickname;
        _logger = (options.LoggerFactory ?? NullLoggerFactory.Instance).CreateLogger<ChatClient>();
    }

    /// <summary>
    /// A room was joined by <see cref="JoinAsync"/>: its members and latest messages. Raised before any
    /// <see cref="MessageReceived"/> of the room (those continue after the snapshot's last <c>seq</c>)
    /// and before <see cref="JoinAsync"/> returns.
    /// </summary>
    public event Action<RoomSnapshot>? RoomJoined;

    /// <summary>A room message, once per <c>seq</c>, in order (live, or caught up after a reconnect).</summary>
    public event Action<ChatMessage>? MessageReceived;

    /// <summary>A private message to or from this user (sent from any of its connections).</summary>
    public event Action<DirectMessage>? DirectMessageReceived;

    /// <summary>Somebody joined a room this client is in (once per real change of its member list).</summary>
    public event Action<RoomPresence>? UserJoined;

    /// <summary>Somebody left a room this client is in (once per real change of its member list).</summary>
    public event Action<RoomPresence>? UserLeft;

    public event Action<RoomPresence>? UserTyping;

    public event Action<NicknameChange>? NicknameChanged;

    public event Action<IReadOnlyList<LobbyRoom>>? RoomsUpdated;

    public event Action<ServerNotice>? NoticeReceived;

    /// <summary>The connection was lost; the client is trying to get it back.</summary>
    public event Action<Exception?>? Reconnecting;

    /// <summary>
    /// The connection is back and the rooms rejoined. The missed messages it counts follow it, then
    /// newer messages; events from the reconnect itself (member changes on the rejoins) follow it too.
    /// </summary>
    public event Action<RecoveryReport>? Reconnected;

    /// <summary>The connection ended for good (disposed, or refused by the server).</summary>
    public event Action<Exception?>? Closed;

    public Uri Server => _options.Server;

    /// <summary>The nickname the server knows this user by; null until connected.</summary>
    public string? Nickname => Volatile.Read(ref _nickname);

    /// <summary>The rooms this client is in (kept across reconnects).</summary>
    public IReadOnlyList<string> Rooms => [.. _rooms.Keys.Order(StringComparer.Ordinal)];

    /// <summary><see cref="HubConnectionState.Reconnecting"/> from a lost connection until its successor is up.</summary>
    public HubConnectionState State =>
        _reconnecting ? HubConnectionState.Reconnecting : Connection?.State ?? HubConnectionState.Disconnected;

    /// <summary>Who is in a room this client is in, as last told by the server; empty for other rooms.</summary>
    public IReadOnlyList<string> MembersOf(string room) =>
        _rooms.TryGetValue(RoomNames.Canonicalize(room), out var sequence) ? sequence.Members.List() : [];

    /// <summary>
    /// Connects once. Throws <see cref="ChatConnectionException"/> when the server cannot be reached
    /// (<see cref="ConnectFailure.Unreachable"/>) or refuses, e.g. for a taken nickname.
    /// </summary>
    public async Task ConnectAsync(CancellationToken cancellationToken = default)
    {
        _closed = new TaskCompletionSource<Exception?>(TaskCreationOptions.RunContinuationsAsynchronously);
        _closedForGood = false;
        var connection = await ReplaceConnectionAsync()
            ?? throw new InvalidOperationException("This client was disconnected; create a new one.");
        try
        {
            await connection.StartAsync(cancellationToken);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            throw new ChatConnectionException($"Cannot reach chat server at {_options.Server}: {ReasonOf(ex)}", ConnectFailure.Unreachable, ex);
        }

        try
        {
            var profile = await connection.InvokeAsync<UserProfile>(nameof(IChatHub.Me), cancellationToken);
            Volatile.Write(ref _nickname, profile.Nickname);
        }
        catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
        {
            // A refusal (e.g. a taken nickname) arrives as the server closing the connection.
            var closeError = await _closed.Task.WaitAsync(TimeSpan.FromSeconds(5), CancellationToken.None).ContinueWith(
                task => task.IsCompletedSuccessfully ? task.Result : null,
                TaskScheduler.Default);
            await connection.StopAsync(CancellationToken.None);
            throw new ChatConnectionException(ChatException.SentenceOf(closeError ?? ex), ConnectFailure.Refused, ex);
        }

        _established = true;
        lock (_stateGate)
        {
            _ready.TrySetResult();
        }
    }

    /// <summary>
    /// Joins a room and returns its members and latest messages, once <see cref="RoomJoined"/> has
    /// announced them (the first join of a room only).
    /// </summary>
    public async Task<RoomSnapshot> JoinAsync(string room, CancellationToken cancellationToken = default)
    {
        var name = RoomNames.Canonicalize(room);
        var sequence = _rooms.GetOrAdd(name, key => new RoomSequence(key, message => Post(MessageReceived, message)));
        RoomSnapshot snapshot;
        try
        {
            snapshot = await InvokeAsync<RoomSnapshot>(nameof(IChatHub.Join), [room], cancellationToken);
        }
        catch
        {
            if (sequence.LastDelivered == 0 && !sequence.HasGap)
            {
                _rooms.TryRemove(new KeyValuePair<string, RoomSequence>(name, sequence));
            }

            throw;
        }

        // The snapshot and the member changes held during the join take their place before the
        // messages that waited for the join.
        sequence.Start(snapshot.LastSeq, first =>
        {
            if (first)
            {
                Post(RoomJoined, snapshot);
            }

            PostMemberChanges(name, sequence.Members.Start(snapshot.Members));
        });
        var announced = _events.PostSignal();
        _events.Deliver();
        await announced.WaitAsync(cancellationToken);
        return snapshot;
    }

    public async Task LeaveAsync(string room, CancellationToken cancellationToken = default)
    {
        await InvokeAsync<object?>(nameof(IChatHub.Leave), [room], cancellationToken);
        _rooms.TryRemove(RoomNames.Canonicalize(room), out _);
    }

    /// <summary>Leaves every room; returns the rooms left.</summary>
    public async Task<IReadOnlyList<string>> LeaveAllAsync(CancellationToken cancellationToken = default)
    {
        var left = await InvokeAsync<IReadOnlyList<string>>(nameof(IChatHub.LeaveAll), [], cancellationToken);
        _rooms.Clear();
        return left;
    }

    /// <summary>
    /// Sends a message to a room and returns it as stored (with its <c>seq</c>). If the connection drops
    /// before the answer, the same send is repeated after reconnecting; the server stores it once.
    /// </summary>
    public Task<ChatMessage> SendAsync(string room, string text, CancellationToken cancellationToken = default) =>
        InvokeAsync<ChatMessage>(nameof(IChatHub.SendMessage), [room, text, NewClientMessageId()], cancellationToken);

    public Task<DirectMessage> SendDirectAsync(string nickname, string text, CancellationToken cancellationToken = default) =>
        InvokeAsync<DirectMessage>(nameof(IChatHub.SendDirect), [nickname, text, NewClientMessageId()], cancellationToken);

    public async Task<string> SetNicknameAsync(string nickname, CancellationToken cancellationToken = default)
    {
        var name = await InvokeAsync<string>(nameof(IChatHub.SetNickname), [nickname], cancellationToken);
        Volatile.Write(ref _nickname, name);
        return name;
    }

    /// <summary>Says the user is typing in a room; the server passes on at most one every 2 seconds.</summary>
    public async Task TypingAsync(string room, CancellationToken cancellationToken = default)
    {
        if (Connection is { State: HubConnectionState.Connected } connection)
        {
            await connection.SendAsync(nameof(IChatHub.Typing), room, cancellationToken);
        }
    }

    /// <summary>Up to <paramref name="limit"/> messages before <paramref name="beforeSeq"/> (0: the latest), oldest first.</summary>
    public Task<IReadOnlyList<ChatMessage>> GetHistoryAsync(string room, long beforeSeq, int limit, CancellationToken cancellationToken = default) =>
        InvokeAsync<IReadOnlyList<ChatMessage>>(nameof(IChatHub.History), [room, beforeSeq, limit], cancellationToken);

    /// <summary>Up to 200 messages after <paramref name="afterSeq"/>, oldest first.</summary>
    public Task<IReadOnlyList<ChatMessage>> GetMissedAsync(string room, long afterSeq, CancellationToken cancellationToken = default) =>
        InvokeAsync<IReadOnlyList<ChatMessage>>(nameof(IChatHub.MissedSince), [room, afterSeq], cancellationToken);

    public Task<IReadOnlyList<RoomSummary>> ListRoomsAsync(CancellationToken cancellationToken = default) =>
        InvokeAsync<IReadOnlyList<RoomSummary>>(nameof(IChatHub.ListRooms), [], cancellationToken);

    public Task<IReadOnlyList<RoomSummary>> MyRoomsAsync(CancellationToken cancellationToken = default) =>
        InvokeAsync<IReadOnlyList<RoomSummary>>(nameof(IChatHub.MyRooms), [], cancellationToken);

    public Task<RoomSummary> WhoAsync(string room, CancellationToken cancellationToken = default) =>
        InvokeAsync<RoomSummary>(nameof(IChatHub.Who), [room], cancellationToken);

    public Task<UserProfile> MeAsync(CancellationToken cancellationToken = default) =>
        InvokeAsync<UserProfile>(nameof(IChatHub.Me), [], cancellationToken);

    public Task<IReadOnlyList<CommandHelp>> HelpAsync(CancellationToken cancellationToken = default) =>
        InvokeAsync<IReadOnlyList<CommandHelp>>(nameof(IChatHub.Help), [], cancellationToken);

    /// <summary>Starts <see cref="RoomsUpdated"/> events; returns the rooms now.</summary>
    public Task<IReadOnlyList<LobbyRoom>> WatchLobbyAsync(CancellationToken cancellationToken = default) =>
        InvokeAsync<IReadOnlyList<LobbyRoom>>(nameof(IChatHub.WatchLobby), [], cancellationToken);

    public Task UnwatchLobbyAsync(CancellationToken cancellationToken = default) =>
        InvokeAsync<object?>(nameof(IChatHub.UnwatchLobby), [], cancellationToken);

    /// <summary>Leaves the server for good: no reconnect, pending calls fail.</summary>
    public async Task DisconnectAsync()
    {
        await _lifetime.CancelAsync();

        // No connection replaces this one once the lifetime is over (ReplaceConnectionAsync checks under the same lock).
        HubConnection? connection;
        lock (_stateGate)
        {
            connection = _connection;
        }

        if (connection is not null)
        {
            await connection.StopAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await DisconnectAsync();
        if (Connection is { } connection)
        {
            await connection.DisposeAsync();
        }

        _lifetime.Dispose();
    }

    private HubConnection? Connection => Volatile.Read(ref _connection);

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);

    private static string NewClientMessageId() => Guid.NewGuid().ToString("N");

    private static string ReasonOf(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is SocketException socket)
            {
                return socket.SocketErrorCode switch
                {
                    SocketError.ConnectionRefused => "connection refused",
                    SocketError.HostNotFound or SocketError.NoData => "host not found",
                    SocketError.TimedOut => "timed out",
                    _ => socket.Message.ToLowerInvariant(),
                };
            }
        }

        return exception.GetBaseException().Message;
    }

    /// <summary>A new connection for the next start (the previous one is done), or null once the client is disconnected.</summary>
    private async Task<HubConnection?> ReplaceConnectionAsync()
    {
        var connection = BuildConnection();
        HubConnection? previous;
        lock (_stateGate)
        {
            if (_lifetime.IsCancellationRequested)
            {
                previous = connection;
                connection = null;
            }
            else
            {
                previous = _connection;
                Volatile.Write(ref _connection, connection);
            }
        }

        if (previous is not null)
        {
            await previous.DisposeAsync();
        }

        return connection;
    }

    private HubConnection BuildConnection()
    {
        var builder = new HubConnectionBuilder()
            .WithUrl(HubUrl(), ConfigureTransport)
            .WithServerTimeout(_options.ServerTimeout)
            .WithKeepAliveInterval(_options.KeepAliveInterval);
        if (_options.LoggerFactory is not null)
        {
            builder.Services.AddSingleton(_options.LoggerFactory);
        }

        var connection = builder.Build();
        connection.On<ChatMessage>(nameof(IChatClient.ReceiveMessage), OnReceiveMessage);
        connection.On<DirectMessage>(nameof(IChatClient.ReceiveDirect), message => Raise(DirectMessageReceived, message));
        connection.On<RoomMembersChanged>(nameof(IChatClient.MembersChanged), OnMembersChanged);
        connection.On<RoomPresence>(nameof(IChatClient.UserTyping), presence => Raise(UserTyping, presence));
        connection.On<NicknameChange>(nameof(IChatClient.NicknameChanged), OnNicknameChanged);
        connection.On<IReadOnlyList<LobbyRoom>>(nameof(IChatClient.RoomsUpdated), rooms => Raise(RoomsUpdated, rooms));
        connection.On<ServerNotice>(nameof(IChatClient.Notice), notice => Raise(NoticeReceived, notice));
        connection.Closed += error => OnClosed(connection, error);
        return connection;
    }

    /// <summary>The hub's address, asking for the nickname this client has now. The nickname is no secret; the key is not in it.</summary>
    private Uri HubUrl()
    {
        var hub = new Uri(_options.Server, ChatEndpoints.HubPath);
        return Nickname is { } nickname
            ? new UriBuilder(hub) { Query = $"{ChatEndpoints.NameParameter}={Uri.EscapeDataString(nickname)}" }.Uri
            : hub;
    }

    private void ConfigureTransport(HttpConnectionOptions http)
    {
        // The key is a secret: as the access token it travels in the Authorization header on every
        // transport (the WebSocket upgrade, negotiate, SSE and long polling requests), where the URL,
        // and every log line that shows a URL, never carry it.
        http.AccessTokenProvider = () => Task.FromResult<string?>(_options.UserKey);
        if (_options.Negotiate)
        {
            http.Transports = _options.Transports;
        }
        else
        {
            // Without negotiate any node can take the connection: no sticky sessions needed.
            http.SkipNegotiation = true;
            http.Transports = HttpTransportType.WebSockets;
        }
    }

    /// <summary>
    /// Invokes a hub method once connected. A call cut off by a lost connection is repeated after the
    /// reconnect (every method is safe to repeat: sends carry their id); a refusal becomes a
    /// <see cref="ChatException"/> with the server's sentence.
    /// </summary>
    private async Task<T> InvokeAsync<T>(string method, object?[] arguments, CancellationToken cancellationToken)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _lifetime.Token);
        var token = linked.Token;
        while (true)
        {
            Task ready;
            lock (_stateGate)
            {
                ready = _ready.Task;
            }

            await ready.WaitAsync(token);
            try
            {
                return await Connection!.InvokeCoreAsync<T>(method, arguments, token);
            }
            catch (HubException ex) when (!IsConnectionClosing(ex))
            {
                throw new ChatException(ChatException.SentenceOf(ex), ex);
            }
            catch (Exception ex) when (!token.IsCancellationRequested && ex is not ChatException)
            {
                if (_closedForGood)
                {
                    throw new ChatException("The connection to the chat server is closed.", ex);
                }

                // The connection dropped under this call; wait for the reconnect and repeat it.
                await Task.Delay(RetryPause, token);
            }
        }
    }

    private void OnReceiveMessage(ChatMessage message)
    {
        if (!_rooms.TryGetValue(message.Room, out var sequence))
        {
            return;
        }

        sequence.Offer(message);
        _events.Deliver();
        if (sequence.HasGap)
        {
            _ = FillGapAsync(sequence);
        }
    }

    private void OnMembersChanged(RoomMembersChanged change)
    {
        if (_rooms.TryGetValue(change.Room, out var sequence))
        {
            // In the room's order, so changes held during its join follow the join's snapshot.
            sequence.RunInOrder(() => PostMemberChanges(change.Room, sequence.Members.Apply(change.Changes)));
            _events.Deliver();
        }
    }

    private void PostMemberChanges(string room, IReadOnlyList<MemberChange> changes)
    {
        foreach (var change in changes)
        {
            Post(change.Joined ? UserJoined : UserLeft, new RoomPresence(room, change.Nickname));
        }
    }

    private void OnNicknameChanged(NicknameChange change)
    {
        foreach (var sequence in _rooms.Values)
        {
            sequence.Members.Rename(change.OldNickname, change.NewNickname);
        }

        // Another connection of this same user may have renamed it, or this one before its answer came.
        // (Interlocked.CompareExchange would compare string references, which never match here.)
        lock (_stateGate)
        {
            if (string.Equals(_nickname, change.OldNickname, StringComparison.Ordinal))
            {
                Volatile.Write(ref _nickname, change.NewNickname);
            }
        }

        Raise(NicknameChanged, change);
    }

    private void OnReconnecting(Exception? error)
    {
        lock (_stateGate)
        {
            if (_ready.Task.IsCompleted)
            {
                _ready = NewSignal();
            }
        }

        Raise(Reconnecting, error);

        // What happens from here on waits for the recovery report.
        _events.Hold();
    }

    /// <summary>After a reconnect: the nickname, the rooms again, the waiting sends, then what was missed.</summary>
    private async Task RecoverAsync(HubConnection connection)
    {
        try
        {
            var profile = await connection.InvokeAsync<UserProfile>(nameof(IChatHub.Me), _lifetime.Token);
            Volatile.Write(ref _nickname, profile.Nickname);

            var rejoined = new List<RoomSequence>();
            foreach (var sequence in _rooms.Values)
            {
                try
                {
                    sequence.Members.BeginJoin();
                    var snapshot = await connection.InvokeAsync<RoomSnapshot>(nameof(IChatHub.Join), sequence.Room, _lifetime.Token);
                    sequence.Start(snapshot.LastSeq, _ => PostMemberChanges(sequence.Room, sequence.Members.Start(snapshot.Members)));
                    rejoined.Add(sequence);
                }
                catch (HubException ex)
                {
                    _logger.LogWarning("Could not rejoin {Room}: {Reason}", sequence.Room, ChatException.SentenceOf(ex));
                    _rooms.TryRemove(new KeyValuePair<string, RoomSequence>(sequence.Room, sequence));
                }
            }

            // Sends waiting for the connection may go now: the rooms they target are joined again.
            lock (_stateGate)
            {
                _ready.TrySetResult();
            }

            var missed = 0;
            foreach (var sequence in rejoined)
            {
                missed += await CatchUpAsync(connection, sequence, _lifetime.Token);
            }

            var report = new RecoveryReport([.. rejoined.Select(sequence => sequence.Room).Order(StringComparer.Ordinal)], missed);
            _events.Release(() => Invoke(Reconnected, report));
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The connection dropped again during recovery; the reconnect after it starts over.
            _logger.LogDebug(ex, "Recovery after reconnect was interrupted");
        }
    }

    private Task OnClosed(HubConnection connection, Exception? error)
    {
        if (connection != Connection)
        {
            // A connection already replaced: its successor speaks for the client.
            return Task.CompletedTask;
        }

        _closed.TrySetResult(error);

        // Every lost connection comes back, even when the server's close did not allow a reconnect (a
        // server shutting down or dropping a misbehaving connection may say so), until the client is
        // told to stop; only the hub refusing the user ends it.
        if (_established && !_lifetime.IsCancellationRequested && !IsRefusal(error))
        {
            _ = ReconnectAsync(error);
            return Task.CompletedTask;
        }

        _closedForGood = true;
        _events.Release();
        Raise(Closed, error);
        return Task.CompletedTask;
    }

    /// <summary>
    /// Calls still waiting when the server closes the connection fail with a HubException too; unlike
    /// a refused call, they say the connection is gone, and are repeated after the reconnect.
    /// </summary>
    private bool IsConnectionClosing(HubException exception) =>
        Connection?.State != HubConnectionState.Connected
        || exception.Message.StartsWith("The server closed the connection", StringComparison.Ordinal);

    private static bool IsRefusal(Exception? error) =>
        error?.Message.Contains("HubException: ", StringComparison.Ordinal) == true;

    /// <summary>
    /// Starts a new connection with the reconnect policy's delays (the first attempt at once, then backoff
    /// with jitter, forever by default), then recovers. This is the client's own loop rather than
    /// SignalR's automatic reconnect, which keeps the lost connection's URL and stops when a close
    /// does not allow a reconnect.
    /// </summary>
    private async Task ReconnectAsync(Exception? error)
    {
        _reconnecting = true;
        OnReconnecting(error);
        var connection = await ReplaceConnectionAsync();
        var started = DateTime.UtcNow;
        for (var attempt = 0L; connection is not null && !_lifetime.IsCancellationRequested; attempt++)
        {
            var delay = _options.ReconnectPolicy.NextRetryDelay(new RetryContext
            {
                PreviousRetryCount = attempt,
                ElapsedTime = DateTime.UtcNow - started,
                RetryReason = error,
            });
            if (delay is null)
            {
                break;
            }

            try
            {
                await Task.Delay(delay.Value, _lifetime.Token);
                _closed = new TaskCompletionSource<Exception?>(TaskCreationOptions.RunContinuationsAsynchronously);
                await connection.StartAsync(_lifetime.Token);
                _reconnecting = false;
                await RecoverAsync(connection);
                return;
            }
            catch (OperationCanceledException) when (_lifetime.IsCancellationRequested)
            {
                break;
            }
            catch (Exception ex)
            {
                error = ex;
                _logger.LogDebug(ex, "Starting the connection again failed");
            }
        }

        _reconnecting = false;
        _closedForGood = true;
        _events.Release();
        Raise(Closed, error);
    }

    private async Task<int> CatchUpAsync(HubConnection connection, RoomSequence sequence, CancellationToken cancellationToken)
    {
        var delivered = 0;
        while (true)
        {
            var page = await connection.InvokeAsync<IReadOnlyList<ChatMessage>>(nameof(IChatHub.MissedSince), sequence.Room, sequence.LastDelivered, cancellationToken);
            delivered += sequence.OfferFromStore(page);
            _events.Deliver();
            if (page.Count < ChatEndpoints.MaxPageSize)
            {
                return delivered;
            }
        }
    }

    private async Task FillGapAsync(RoomSequence sequence)
    {
        if (!sequence.TryBeginGapFill())
        {
            return;
        }

        try
        {
            while (sequence.HasGap && Connection is { State: HubConnectionState.Connected } connection)
            {
                // A pass that delivers nothing has nothing more to find now; the next message tries again.
                if (await CatchUpAsync(connection, sequence, _lifetime.Token) == 0)
                {
                    break;
                }
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            _logger.LogDebug(ex, "Filling a gap in {Room} failed; the next reconnect catches up", sequence.Room);
        }
        finally
        {
            sequence.EndGapFill();
        }
    }

    /// <summary>Raises an event after those already posted.</summary>
    private void Raise<T>(Action<T>? handler, T value)
    {
        Post(handler, value);
        _events.Deliver();
    }

    /// <summary>Queues an event in its place; the poster calls <see cref="OrderedEvents.Deliver"/> once out of its locks.</summary>
    private void Post<T>(Action<T>? handler, T value)
    {
        if (handler is not null)
        {
            _events.Post(() => Invoke(handler, value));
        }
    }

    private void Invoke<T>(Action<T>? handler, T value)
    {
        if (handler is null)
        {
            return;
        }

        try
        {
            handler(value);
        }
        catch (Exception ex)
        {
            _logger.LogError(ex, "An event handler of the chat client threw");
        }
    }
}
