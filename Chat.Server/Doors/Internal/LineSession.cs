using System.Net;
using Chat.Protocol;
using Chat.Protocol.Commands;
using Chat.Server.Hosting;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace Chat.Server.Doors.Internal;

/// <summary>
/// One user of a line door (<c>/ws</c> or TCP): each line they send is the console client's command
/// language (<see cref="CommandParser"/>) turned into hub calls, and every answer and event goes out
/// through <see cref="LineOutput"/> in the door's dialect. Plain text goes to the active room: the room
/// joined last, or chosen with <c>/switch</c>; when it is left, the room joined most recently before it.
/// </summary>
internal sealed class LineSession : IAsyncDisposable
{
    // After the hub connection ends, what is queued for the user gets this long to go out.
    private static readonly TimeSpan DrainTimeout = TimeSpan.FromSeconds(2);

    private readonly LineOutput _output;
    private readonly CancellationTokenSource _stopPump = new();
    private readonly TaskCompletionSource<Exception?> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Lock _roomsGate = new();

    // The rooms this user is in, in the order joined; the active one is moved to the end.
    private readonly List<string> _rooms = [];
    private DoorConnection? _connection;
    private Task _pump = Task.CompletedTask;
    private IReadOnlyList<CommandHelp>? _help;
    private volatile string? _lastNoticeKind;
    private volatile string? _closeReason;

    private LineSession(ILineWriter writer) => _output = new LineOutput(writer, MissedSinceAsync, TimeProvider.System);

    /// <summary>The nickname the hub holds for this user now.</summary>
    public string Nickname => _output.Nickname;

    /// <summary>Completes when the hub connection ends (the server closed it, or the user left), with the server's reason if any.</summary>
    public Task<Exception?> Closed => _closed.Task;

    /// <summary>Why the server closed the hub connection, once <see cref="Closed"/> has completed; null when the user left.</summary>
    public string? CloseReason => _closeReason;

    /// <summary>Whether the server said it is restarting (its last notice); the door then tells the client to reconnect.</summary>
    public bool Restarting => _lastNoticeKind == ConnectionDrainer.RestartingNotice;

    private HubConnection Hub => _connection!.Hub;

    /// <summary>Connects the user to the hub; the door writes through <paramref name="writer"/> from then on.</summary>
    /// <exception cref="DoorRefusedException">The hub refused the nickname (or the server is stopping).</exception>
    public static async Task<LineSession> ConnectAsync(
        DoorHubConnections doors,
        string door,
        string? nickname,
        string? clientKey,
        string? accessToken,
        IPEndPoint? remote,
        ILineWriter writer,
        CancellationToken cancellationToken = default)
    {
        var session = new LineSession(writer);
        session._connection = await doors.ConnectAsync(door, nickname, clientKey, accessToken, remote, session.Listen, cancellationToken);
        session._output.Nickname = session._connection.Nickname;
        session._pump = session._output.RunAsync(session._stopPump.Token);
        return session;
    }

    /// <summary>Carries out one line; false when the user asked to leave (or the connection is gone).</summary>
    public async Task<bool> HandleAsync(string line, CancellationToken cancellationToken = default)
    {
        var command = CommandParser.Parse(line);
        try
        {
            return command is null || await HandleAsync(command, cancellationToken);
        }
        catch (HubException ex)
        {
            await _output.ErrorAsync(DoorRefusedException.SentenceOf(ex));
            return true;
        }
        catch (Exception ex) when (ex is InvalidOperationException or OperationCanceledException && Closed.IsCompleted)
        {
            return false;
        }
    }

    /// <summary>A sentence for the user that is not an answer to a line (the door's own: a line too long, a binary frame).</summary>
    public Task ErrorAsync(string text) => _output.ErrorAsync(text);

    /// <summary>A note from the door itself (a welcome, an idle close).</summary>
    public Task SystemAsync(string text) => _output.SystemAsync(text);

    /// <summary>Disconnects the user from the hub and waits a moment for what is queued for them to be written.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_connection is not null)
        {
            await _connection.DisposeAsync();
        }

        _output.Complete();
        try
        {
            await _pump.WaitAsync(DrainTimeout);
        }
        catch (Exception ex) when (ex is TimeoutException or OperationCanceledException or IOException or System.Net.WebSockets.WebSocketException or ObjectDisposedException)
        {
            // The user stopped reading or is gone: what is left is dropped with the connection.
        }

        await _stopPump.CancelAsync();
        _stopPump.Dispose();
    }

    private void Listen(HubConnection hub)
    {
        hub.On<ChatMessage>(nameof(IChatClient.ReceiveMessage), _output.MessageAsync);
        hub.On<DirectMessage>(nameof(IChatClient.ReceiveDirect), _output.DirectAsync);
        hub.On<RoomMembersChanged>(nameof(IChatClient.MembersChanged), _output.MembersChangedAsync);
        hub.On<NicknameChange>(nameof(IChatClient.NicknameChanged), _output.NicknameChangedAsync);
        hub.On<ServerNotice>(nameof(IChatClient.Notice), notice =>
        {
            _lastNoticeKind = notice.Kind;
            return _output.SystemAsync(notice.Text, notice.Kind);
        });
        hub.On<RoomEvent>(nameof(IChatClient.RoomChanged), change =>
        {
            if (change.Removes(Nickname))
            {
                Forget(change.Room);
            }

            return _output.RoomChangedAsync(change);
        });
        hub.On<RoomInvitation>(nameof(IChatClient.Invited), _output.InvitedAsync);
        hub.On<RoomClosure>(nameof(IChatClient.RoomClosed), closure =>
        {
            Forget(closure.Room);
            return _output.LeftAsync(closure.Room, closure.Text, "room-closed");
        });
        hub.Closed += async error =>
        {
            // The server's reason (a flood, an administrator) as the user's last line, unless a notice just said it.
            _closeReason = _connection?.CloseReason ?? (error is null ? null : DoorRefusedException.SentenceOf(error));
            if (_closeReason is not null && _lastNoticeKind is null)
            {
                await _output.ErrorAsync(_closeReason);
            }

            _output.Complete();
            _closed.TrySetResult(error);
        };
    }

    private Task<IReadOnlyList<ChatMessage>> MissedSinceAsync(string room, long afterSeq, CancellationToken cancellationToken) =>
        Hub.InvokeAsync<IReadOnlyList<ChatMessage>>(nameof(IChatHub.MissedSince), room, afterSeq, cancellationToken);

    private async Task<bool> HandleAsync(ChatCommand command, CancellationToken cancellationToken)
    {
        switch (command)
        {
            case SayCommand say:
                if (ActiveRoom is not { } active)
                {
                    await NoActiveRoomAsync();
                    break;
                }

                // The hub sends the message to every member, this user included; it is shown from there.
                await Hub.InvokeAsync<ChatMessage>(nameof(IChatHub.SendMessage), active, say.Text, null, cancellationToken);
                break;
            case JoinCommand join:
                await JoinAsync(join.Room, join.Key, cancellationToken);
                break;
            case TopicCommand or KickCommand or RoleCommand or ModeCommand:
                await ModerateAsync(command, cancellationToken);
                break;
            case LeaveCommand { Room: null }:
                var left = await Hub.InvokeAsync<IReadOnlyList<string>>(nameof(IChatHub.LeaveAll), cancellationToken);
                foreach (var room in left)
                {
                    Forget(room);
                    await _output.LeftAsync(room, null);
                }

                await _output.SystemAsync(left.Count == 0 ? "You are not in any room." : $"Left {string.Join(", ", left)}.");
                break;
            case LeaveCommand leave:
                var name = RoomNames.Canonicalize(leave.Room!);
                await Hub.InvokeAsync(nameof(IChatHub.Leave), leave.Room, cancellationToken);
                Forget(name);
                await _output.LeftAsync(name, $"Left room: {name}");
                break;
            case ListCommand:
                var all = await Hub.InvokeAsync<IReadOnlyList<RoomSummary>>(nameof(IChatHub.ListRooms), cancellationToken);
                await _output.SystemAsync(all.Count == 0
                    ? "No rooms yet. Start one with /join <room>."
                    : RoomList(all.Count == 1 ? "1 room:" : $"{all.Count} rooms:", all));
                break;
            case RoomsCommand:
                var mine = await Hub.InvokeAsync<IReadOnlyList<RoomSummary>>(nameof(IChatHub.MyRooms), cancellationToken);
                await _output.SystemAsync(mine.Count == 0
                    ? "You are not in any room. Join one with /join <room>."
                    : RoomList($"You are in {mine.Count} {(mine.Count == 1 ? "room" : "rooms")} (* is the active one):", mine));
                break;
            case WhoCommand who:
                if ((who.Room ?? ActiveRoom) is not { } target)
                {
                    await NoActiveRoomAsync();
                    break;
                }

                var summary = await Hub.InvokeAsync<RoomSummary>(nameof(IChatHub.Who), target, cancellationToken);
                await _output.SystemAsync(summary.UserCount == 0 ? $"Nobody is in {summary.Name}." : $"{summary.Name} ({LineOutput.Users(summary.Users)})");
                break;
            case SwitchCommand switchTo:
                var chosen = RoomNames.Canonicalize(switchTo.Room);
                if (!Activate(chosen))
                {
                    await _output.ErrorAsync($"You are not in room {chosen}. Join it first with /join {chosen}.");
                    break;
                }

                await _output.SystemAsync($"Active room: {chosen}");
                break;
            case NickCommand nick:
                var before = Nickname;
                var after = await Hub.InvokeAsync<string>(nameof(IChatHub.SetNickname), nick.Nickname, cancellationToken);

                // A real change is announced by the hub's NicknameChanged, which this user gets too.
                if (string.Equals(before, after, StringComparison.Ordinal))
                {
                    await _output.SystemAsync($"You are already known as {after}.");
                }

                break;
            case SendDirectCommand direct:
                // The hub sends it back to this user's connections; it is shown from there.
                await Hub.InvokeAsync<DirectMessage>(nameof(IChatHub.SendDirect), direct.Nickname, direct.Text, null, cancellationToken);
                break;
            case HistoryCommand history:
                await ShowHistoryAsync(history.Count, cancellationToken);
                break;
            case HelpCommand help:
                await ShowHelpAsync(help.Command, cancellationToken);
                break;
            case QuitCommand:
                var rooms = await Hub.InvokeAsync<IReadOnlyList<string>>(nameof(IChatHub.LeaveAll), cancellationToken);
                await _output.SystemAsync(rooms.Count == 0 ? "Bye!" : $"Left {string.Join(", ", rooms)}. Bye!");
                return false;
            case UnknownCommand unknown:
                await _output.ErrorAsync($"Unknown command {unknown.Name}. Type /help for the list of commands.");
                break;
            case InvalidCommand invalid:
                var usage = (await HelpAsync(cancellationToken)).FirstOrDefault(entry => entry.Command == invalid.Command)?.Usage;
                await _output.ErrorAsync(usage is null ? invalid.Problem : $"{invalid.Problem} Usage: {usage}");
                break;
        }

        return true;
    }

    /// <summary>
    /// An operator's command in the active room. What it changes comes back as the hub's <c>RoomChanged</c>
    /// (shown from there); only an invitation, which the room does not see, is confirmed here.
    /// </summary>
    private async Task ModerateAsync(ChatCommand command, CancellationToken cancellationToken)
    {
        if (ActiveRoom is not { } room)
        {
            await NoActiveRoomAsync();
            return;
        }

        switch (command)
        {
            case TopicCommand topic:
                await Hub.InvokeAsync<RoomInfo>(nameof(IChatHub.SetTopic), room, topic.Text, cancellationToken);
                break;
            case KickCommand kick:
                await Hub.InvokeAsync(nameof(IChatHub.Kick), room, kick.Nickname, kick.Reason, cancellationToken);
                break;
            case ModeCommand mode:
                await Hub.InvokeAsync<RoomInfo>(nameof(IChatHub.SetMode), room, mode.Mode, mode.Key, cancellationToken);
                break;
            case RoleCommand { Action: "invite" } invite:
                await Hub.InvokeAsync(nameof(IChatHub.Invite), room, invite.Nickname, cancellationToken);
                await _output.SystemAsync($"Invited {invite.Nickname} to {room}.");
                break;
            case RoleCommand role:
                var method = role.Action switch
                {
                    RoomActions.Ban => nameof(IChatHub.Ban),
                    RoomActions.Unban => nameof(IChatHub.Unban),
                    RoomActions.Op => nameof(IChatHub.Op),
                    RoomActions.Deop => nameof(IChatHub.Deop),
                    RoomActions.Voice => nameof(IChatHub.Voice),
                    _ => nameof(IChatHub.Devoice),
                };
                await Hub.InvokeAsync(method, room, role.Nickname, cancellationToken);
                break;
        }
    }

    private async Task JoinAsync(string room, string? key, CancellationToken cancellationToken)
    {
        var name = RoomNames.Canonicalize(room);
        if (Activate(name))
        {
            await _output.SystemAsync($"You are already in {name}; it is the active room now.");
            return;
        }

        var snapshot = key is null
            ? await Hub.InvokeAsync<RoomSnapshot>(nameof(IChatHub.Join), room, cancellationToken)
            : await Hub.InvokeAsync<RoomSnapshot>(nameof(IChatHub.JoinWithKey), room, key, cancellationToken);
        lock (_roomsGate)
        {
            _rooms.Remove(snapshot.Room);
            _rooms.Add(snapshot.Room);
        }

        await _output.JoinedAsync(snapshot);
    }

    private async Task ShowHistoryAsync(int count, CancellationToken cancellationToken)
    {
        if (ActiveRoom is not { } room)
        {
            await NoActiveRoomAsync();
            return;
        }

        var before = _output.OldestShown(room);
        var messages = before == 1
            ? []
            : await Hub.InvokeAsync<IReadOnlyList<ChatMessage>>(nameof(IChatHub.History), room, before, count, cancellationToken);
        await _output.EarlierAsync(room, messages);
    }

    private async Task ShowHelpAsync(string? command, CancellationToken cancellationToken)
    {
        var help = await HelpAsync(cancellationToken);
        if (command is null)
        {
            var width = help.Max(entry => entry.Usage.Length);
            await _output.SystemAsync(string.Join('\n', [
                "Commands:",
                .. help.Select(entry => $"  {entry.Usage.PadRight(width)}  {entry.Description}"),
                "  Plain text goes to the active room. Start a line with // to send text that begins with /."]));
            return;
        }

        var found = help.FirstOrDefault(entry => entry.Command == command || (command == "/exit" && entry.Command == "/quit"));
        await (found is null
            ? _output.ErrorAsync($"Unknown command {command}. Type /help for the list of commands.")
            : _output.SystemAsync($"{found.Usage}: {found.Description}"));
    }

    private async Task<IReadOnlyList<CommandHelp>> HelpAsync(CancellationToken cancellationToken) =>
        _help ??= await Hub.InvokeAsync<IReadOnlyList<CommandHelp>>(nameof(IChatHub.Help), cancellationToken);

    private string RoomList(string heading, IReadOnlyList<RoomSummary> rooms)
    {
        var active = ActiveRoom;
        return string.Join('\n', [heading, .. rooms.Select(room => $"  {(room.Name == active ? "* " : "")}{room.Name} ({LineOutput.Users(room.Users)})")]);
    }

    private Task NoActiveRoomAsync() => _output.ErrorAsync("You are not in a room yet. Join one with /join <room>, e.g. /join general.");

    private string? ActiveRoom
    {
        get
        {
            lock (_roomsGate)
            {
                return _rooms.Count == 0 ? null : _rooms[^1];
            }
        }
    }

    /// <summary>Makes <paramref name="room"/> the active room if the user is in it.</summary>
    private bool Activate(string room)
    {
        lock (_roomsGate)
        {
            if (!_rooms.Remove(room))
            {
                return false;
            }

            _rooms.Add(room);
            return true;
        }
    }

    private void Forget(string room)
    {
        lock (_roomsGate)
        {
            _rooms.Remove(room);
        }
    }
}
