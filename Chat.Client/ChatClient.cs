using System.Collections.Concurrent;
using Chat.Client.Internal;
using Chat.Protocol;
using Chat.Protocol.Receiving;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
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
/// This class is the API and the chat's events; the connection and its reconnect loop are
/// <see cref="ReconnectingConnection"/>, the rejoin and catch-up after it <see cref="RoomRecovery"/>.
/// </remarks>
/// <remarks>
/// With <see cref="ChatClientOptions.Credentials"/> the client signs in (and again whenever its token has
/// expired by the time it reconnects) and its nickname is the username. The operators' calls
/// (<see cref="SetTopicAsync"/>, <see cref="KickAsync"/>, <see cref="SetModeAsync"/>, ...) are refused with
/// the server's sentence for anyone else; their effects reach every member as <see cref="RoomChanged"/>.
/// </remarks>
public sealed partial class ChatClient : IAsyncDisposable
{
    private readonly ChatClientOptions _options;
    private readonly ConcurrentDictionary<string, RoomSequence> _rooms = new(StringComparer.Ordinal);

    // The key each keyed room was joined with (for its rejoin), and each joined room's settings as last told.
    private readonly ConcurrentDictionary<string, string> _keys = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, RoomInfo> _settings = new(StringComparer.Ordinal);
    private readonly ILogger _logger;
    private readonly OrderedEvents _events = new();
    private readonly ReconnectingConnection _connection;
    private readonly RoomRecovery _recovery;

    public ChatClient(ChatClientOptions options)
    {
        if (!options.Negotiate && !options.Transports.HasFlag(HttpTransportType.WebSockets))
        {
            throw new ArgumentException(
                $"Without {nameof(ChatClientOptions.Negotiate)} the client connects straight to the hub's WebSocket; other transports need negotiate.",
                nameof(options));
        }

        _options = options;
        _logger = (options.LoggerFactory ?? NullLoggerFactory.Instance).CreateLogger<ChatClient>();
        _connection = new ReconnectingConnection(
            options,
            _logger,
            Subscribe,
            OnReconnecting,
            RecoverAsync,
            OnClosedForGood);
        _recovery = new RoomRecovery(
            _rooms,
            room => _keys.GetValueOrDefault(room),
            NoteSettings,
            _connection,
            _events,
            _logger,
            PostMemberChanges,
            report => Invoke(Reconnected, report));
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

    /// <summary>An administrator closed a room: the client is no longer in it and will not rejoin it.</summary>
    public event Action<RoomClosure>? RoomClosed;

    /// <summary>
    /// An operator changed a room this client is in (topic, modes, roles) or kicked or banned somebody from it.
    /// When the kick or ban is of this user, the client is no longer in the room and will not rejoin it.
    /// </summary>
    public event Action<RoomEvent>? RoomChanged;

    /// <summary>An operator invited this user into a room (which admits them to it while it is invite-only).</summary>
    public event Action<RoomInvitation>? Invited;

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
    public string? Nickname => _connection.Nickname;

    /// <summary>True once the server has accepted this client's <see cref="ChatClientOptions.Credentials"/>; false for a guest.</summary>
    public bool SignedIn => _connection.SignedIn;

    /// <summary>When the access token in hand stops being accepted (the client signs in again after it); null for a guest.</summary>
    public DateTimeOffset? AccessTokenExpiresAt => _connection.TokenExpiresAt;

    /// <summary>The rooms this client is in (kept across reconnects).</summary>
    public IReadOnlyList<string> Rooms => [.. _rooms.Keys.Order(StringComparer.Ordinal)];

    /// <summary><see cref="HubConnectionState.Reconnecting"/> from a lost connection until its successor is up.</summary>
    public HubConnectionState State => _connection.State;

    /// <summary>Who is in a room this client is in, as last told by the server; empty for other rooms.</summary>
    public IReadOnlyList<string> MembersOf(string room) =>
        _rooms.TryGetValue(RoomNames.Canonicalize(room), out var sequence) ? sequence.Members.List() : [];

    /// <summary>A joined room's topic, owner, operators and modes, as last told by the server; null for other rooms.</summary>
    public RoomInfo? SettingsOf(string room) => _settings.GetValueOrDefault(RoomNames.Canonicalize(room));

    /// <summary>
    /// Connects once (signing in first with <see cref="ChatClientOptions.Credentials"/>). Throws
    /// <see cref="ChatConnectionException"/> when the server cannot be reached
    /// (<see cref="ConnectFailure.Unreachable"/>), refuses, e.g. for a taken nickname, or refuses the
    /// credentials (<see cref="ConnectFailure.SignInRefused"/>, <see cref="ConnectFailure.Throttled"/>),
    /// with the server's sentence.
    /// </summary>
    public Task ConnectAsync(CancellationToken cancellationToken = default) =>
        _connection.ConnectAsync(cancellationToken);

    /// <summary>
    /// Joins a room and returns its members and latest messages, once <see cref="RoomJoined"/> has
    /// announced them (the first join of a room only).
    /// </summary>
    public Task<RoomSnapshot> JoinAsync(string room, CancellationToken cancellationToken = default) =>
        JoinAsync(room, key: null, cancellationToken);

    /// <summary>
    /// Joins a room that needs a key (<c>+k</c>); with a null key, as <see cref="JoinAsync(string, CancellationToken)"/>.
    /// Rejoins after a reconnect pass the same key.
    /// </summary>
    public async Task<RoomSnapshot> JoinAsync(string room, string? key, CancellationToken cancellationToken = default)
    {
        var name = RoomNames.Canonicalize(room);
        var sequence = _rooms.GetOrAdd(name, roomName => new RoomSequence(roomName, message => Post(MessageReceived, message)));
        RoomSnapshot snapshot;
        try
        {
            snapshot = key is null
                ? await InvokeAsync<RoomSnapshot>(nameof(IChatHub.Join), [room], cancellationToken)
                : await InvokeAsync<RoomSnapshot>(nameof(IChatHub.JoinWithKey), [room, key], cancellationToken);
        }
        catch
        {
            if (sequence.LastDelivered == 0 && !sequence.HasGap)
            {
                _rooms.TryRemove(new KeyValuePair<string, RoomSequence>(name, sequence));
            }

            throw;
        }

        if (key is not null)
        {
            _keys[name] = key;
        }

        NoteSettings(snapshot);

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
        Forget(RoomNames.Canonicalize(room));
    }

    /// <summary>Leaves every room; returns the rooms left.</summary>
    public async Task<IReadOnlyList<string>> LeaveAllAsync(CancellationToken cancellationToken = default)
    {
        var left = await InvokeAsync<IReadOnlyList<string>>(nameof(IChatHub.LeaveAll), [], cancellationToken);
        _rooms.Clear();
        _keys.Clear();
        _settings.Clear();
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
        _connection.SetNickname(name);
        return name;
    }

    /// <summary>Says the user is typing in a room; the server passes on at most one every 2 seconds.</summary>
    public async Task TypingAsync(string room, CancellationToken cancellationToken = default)
    {
        if (_connection.Current is { State: HubConnectionState.Connected } connection)
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
    public Task DisconnectAsync() => _connection.DisconnectAsync();

    public ValueTask DisposeAsync() => _connection.DisposeAsync();

    private static string NewClientMessageId() => Guid.NewGuid().ToString("N");

    private Task<T> InvokeAsync<T>(string method, object?[] arguments, CancellationToken cancellationToken) =>
        _connection.InvokeAsync<T>(method, arguments, cancellationToken);

    /// <summary>Points the hub's events of a new connection at this client.</summary>
    private void Subscribe(HubConnection connection)
    {
        connection.On<ChatMessage>(nameof(IChatClient.ReceiveMessage), OnReceiveMessage);
        connection.On<DirectMessage>(nameof(IChatClient.ReceiveDirect), message => Raise(DirectMessageReceived, message));
        connection.On<RoomMembersChanged>(nameof(IChatClient.MembersChanged), OnMembersChanged);
        connection.On<RoomPresence>(nameof(IChatClient.UserTyping), presence => Raise(UserTyping, presence));
        connection.On<NicknameChange>(nameof(IChatClient.NicknameChanged), OnNicknameChanged);
        connection.On<IReadOnlyList<LobbyRoom>>(nameof(IChatClient.RoomsUpdated), rooms => Raise(RoomsUpdated, rooms));
        connection.On<ServerNotice>(nameof(IChatClient.Notice), notice => Raise(NoticeReceived, notice));
        connection.On<RoomClosure>(nameof(IChatClient.RoomClosed), OnRoomClosed);
        connection.On<RoomEvent>(nameof(IChatClient.RoomChanged), OnRoomChanged);
        connection.On<RoomInvitation>(nameof(IChatClient.Invited), invitation => Raise(Invited, invitation));
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
            _ = _recovery.FillGapAsync(sequence);
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

    private void OnRoomClosed(RoomClosure closure)
    {
        // The server has taken this connection out of the room: a reconnect must not join it again.
        Forget(closure.Room);
        Raise(RoomClosed, closure);
    }

    private void OnRoomChanged(RoomEvent change)
    {
        if (change.Removes(Nickname))
        {
            // As with a closed room: the server has taken this user out, and a reconnect must not rejoin.
            Forget(change.Room);
        }
        else if (_rooms.ContainsKey(change.Room))
        {
            _settings[change.Room] = change.Info;
        }

        Raise(RoomChanged, change);
    }

    private void NoteSettings(RoomSnapshot snapshot) =>
        _settings[snapshot.Room] = snapshot.Info ?? RoomInfo.Unowned(snapshot.Room);

    private void Forget(string room)
    {
        _rooms.TryRemove(room, out _);
        _keys.TryRemove(room, out _);
        _settings.TryRemove(room, out _);
    }

    private void OnNicknameChanged(NicknameChange change)
    {
        foreach (var sequence in _rooms.Values)
        {
            sequence.Members.Rename(change.OldNickname, change.NewNickname);
        }

        _connection.Rename(change.OldNickname, change.NewNickname);
        Raise(NicknameChanged, change);
    }

    private void OnReconnecting(Exception? error)
    {
        Raise(Reconnecting, error);

        // What happens from here on waits for the recovery report.
        _events.Hold();
    }

    /// <summary>The connection is built before the recovery it calls back, so it gets this method, which reads the field when called.</summary>
    private Task RecoverAsync(HubConnection connection) => _recovery.RecoverAsync(connection);

    private void OnClosedForGood(Exception? error)
    {
        _events.Release();
        Raise(Closed, error);
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
