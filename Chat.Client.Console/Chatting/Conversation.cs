using System.Threading.Channels;
using Chat.Client.Console.Commands;
using Chat.Client.Console.Rendering;
using Chat.Protocol;

namespace Chat.Client.Console.Chatting;

/// <summary>
/// One connected user at the console: runs the typed commands through the <see cref="ChatClient"/> and
/// shows what happens on the <see cref="IChatScreen"/>.
/// </summary>
/// <remarks>
/// Lines reach the screen from the command loop and from the client's event threads. <c>_gate</c> makes
/// each decision about what to show and its showing one step, so a room's messages keep their order
/// even while some are held back: during a join (until the snapshot is shown) and during a reconnect
/// (until the "[reconnected: …]" line is). The screen has its own lock, always taken inside this one.
/// </remarks>
internal sealed class Conversation
{
    /// <summary>How many of a joined room's latest messages are shown; /history shows more.</summary>
    public const int RecentMessagesOnJoin = 10;

    private static readonly TimeSpan LeaveTimeout = TimeSpan.FromSeconds(3);

    // A script's last line is often a message right before /quit; its copy from the server should show.
    private static readonly TimeSpan OwnEchoTimeout = TimeSpan.FromSeconds(2);

    private readonly ChatClient _client;
    private readonly IChatScreen _screen;
    private readonly ChatFormatter _formatter;
    private readonly TimeProvider _time;
    private readonly TypingIndicator _typists = new(TypingIndicator.DefaultShownFor);
    private readonly TypingSignal _typingSignal = new(TypingSignal.DefaultInterval);
    private readonly ITimer _typingExpiry;
    private readonly TaskCompletionSource<Exception?> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private readonly Lock _gate = new();
    private readonly HashSet<string> _joining = new(StringComparer.Ordinal);
    private readonly List<ChatMessage> _held = [];
    private readonly List<string> _recentRooms = [];
    private readonly Dictionary<string, long> _oldestShown = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _lastShown = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _lastAcknowledged = new(StringComparer.Ordinal);
    private TaskCompletionSource _shown = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _recovering;
    private bool _leaving;
    private IReadOnlyList<CommandHelp> _help = [];

    public Conversation(ChatClient client, IChatScreen screen, ChatFormatter formatter, TimeProvider time)
    {
        _client = client;
        _screen = screen;
        _formatter = formatter;
        _time = time;
        _typingExpiry = time.CreateTimer(_ => RefreshTyping(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);

        client.MessageReceived += OnMessage;
        client.DirectMessageReceived += message => Show(_formatter.Direct(message, _client.Nickname));
        client.UserJoined += presence => Show(_formatter.UserJoined(presence));
        client.UserLeft += OnUserLeft;
        client.UserTyping += OnUserTyping;
        client.NicknameChanged += OnNicknameChanged;
        client.NoticeReceived += notice => Show(_formatter.Notice(notice));
        client.Reconnecting += OnReconnecting;
        client.Reconnected += OnReconnected;
        client.Closed += OnClosed;
    }

    /// <summary>The room plain text goes to: the last one joined or switched to.</summary>
    public string? ActiveRoom
    {
        get
        {
            lock (_gate)
            {
                return _recentRooms.Count == 0 ? null : _recentRooms[^1];
            }
        }
    }

    /// <summary>
    /// Joins the start rooms, then runs each entered line until /quit, the end of the input or
    /// cancellation (Ctrl+C), and leaves so the others see it. Returns the process exit code.
    /// </summary>
    public async Task<int> RunAsync(ChannelReader<string> input, IReadOnlyList<string> startRooms, CancellationToken cancellationToken)
    {
        try
        {
            Show(_formatter.Connected(_client.Server, _client.Nickname ?? "?"));
            ShowPrompt();

            // The usage lines for mistyped commands come from the server's table, so every client words them alike.
            try
            {
                _help = await _client.HelpAsync(cancellationToken);
            }
            catch (ChatException ex) when (!_closed.Task.IsCompleted)
            {
                Show(ChatFormatter.Error(ex.Message));
            }

            foreach (var room in startRooms)
            {
                await ExecuteAsync(new JoinCommand(room), cancellationToken);
            }

            while (true)
            {
                var next = input.ReadAsync(cancellationToken).AsTask();
                if (await Task.WhenAny(next, _closed.Task) == _closed.Task)
                {
                    return ExitCodes.Failure;
                }

                string line;
                try
                {
                    line = await next;
                }
                catch (ChannelClosedException)
                {
                    break;
                }

                var command = CommandParser.Parse(line);
                if (command is QuitCommand)
                {
                    break;
                }

                if (command is not null)
                {
                    await ExecuteAsync(command, cancellationToken);
                }
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Ctrl+C: leave like /quit.
        }
        catch (ChatException) when (_closed.Task.IsCompleted)
        {
            return ExitCodes.Failure;
        }
        finally
        {
            lock (_gate)
            {
                // Past this point nobody types and nothing waits for the timer; the typing status stays off.
                _leaving = true;
                _typingExpiry.Dispose();
            }
        }

        await LeaveAsync();
        return ExitCodes.Success;
    }

    /// <summary>Runs one command; a refusal from the server is shown as an error and the conversation goes on.</summary>
    private async Task ExecuteAsync(ChatCommand command, CancellationToken cancellationToken)
    {
        try
        {
            await RunCommandAsync(command, cancellationToken);
        }
        catch (ChatException ex) when (!_closed.Task.IsCompleted)
        {
            Show(ChatFormatter.Error(ex.Message));
        }
    }

    /// <summary>A line was entered: if it will wait for the connection, say so now rather than when it goes.</summary>
    public void NoteEntered(string line)
    {
        lock (_gate)
        {
            if (_recovering && _recentRooms.Count > 0 && CommandParser.Parse(line) is SayCommand say)
            {
                _screen.Show(_formatter.Queued(say.Text));
            }
        }
    }

    /// <summary>The user typed a character: tell the active room, at the pace the server passes it on.</summary>
    public void NoteEdited(string input)
    {
        var room = ActiveRoom;
        if (_client.State != Microsoft.AspNetCore.SignalR.Client.HubConnectionState.Connected
            || !_typingSignal.ShouldSend(room, input, _time.GetUtcNow()))
        {
            return;
        }

        _ = SignalTypingAsync(room!);
    }

    private async Task RunCommandAsync(ChatCommand command, CancellationToken cancellationToken)
    {
        switch (command)
        {
            case SayCommand say:
                await SayAsync(say.Text, cancellationToken);
                break;
            case JoinCommand join:
                await JoinAsync(join.Room, cancellationToken);
                break;
            case LeaveCommand { Room: null }:
                await LeaveAllAsync(cancellationToken);
                break;
            case LeaveCommand leave:
                await LeaveRoomAsync(leave.Room, cancellationToken);
                break;
            case ListCommand:
                await ListAsync(cancellationToken);
                break;
            case RoomsCommand:
                await ListMineAsync(cancellationToken);
                break;
            case WhoCommand who:
                await WhoAsync(who.Room, cancellationToken);
                break;
            case SwitchCommand switchTo:
                Switch(switchTo.Room);
                break;
            case NickCommand nick:
                await RenameAsync(nick.Nickname, cancellationToken);
                break;
            case SendDirectCommand direct:
                // The server sends the message back to this user's connections; it is shown from there.
                await _client.SendDirectAsync(direct.Nickname, direct.Text, cancellationToken);
                break;
            case HistoryCommand history:
                await ShowHistoryAsync(history.Count, cancellationToken);
                break;
            case HelpCommand help:
                ShowHelp(help.Command);
                break;
            case UnknownCommand unknown:
                Show(ChatFormatter.Error($"Unknown command {unknown.Name}. Type /help for the list of commands."));
                break;
            case InvalidCommand invalid:
                var usage = _help.FirstOrDefault(entry => entry.Command == invalid.Command)?.Usage;
                Show(ChatFormatter.Error(usage is null ? invalid.Problem : $"{invalid.Problem} Usage: {usage}"));
                break;
        }
    }

    private async Task SayAsync(string text, CancellationToken cancellationToken)
    {
        var room = ActiveRoom;
        if (room is null)
        {
            Show(_formatter.NoActiveRoom());
            return;
        }

        // The server sends the message to every member, this user included; it is shown from there.
        var sent = await _client.SendAsync(room, text, cancellationToken);
        lock (_gate)
        {
            _lastAcknowledged[sent.Room] = Math.Max(sent.Seq, _lastAcknowledged.GetValueOrDefault(sent.Room));
        }
    }

    private async Task JoinAsync(string room, CancellationToken cancellationToken)
    {
        var name = RoomNames.Canonicalize(room);
        if (_client.Rooms.Contains(name))
        {
            MakeActive(name);
            Show(ChatFormatter.System($"You are already in {name}; it is the active room now."));
            return;
        }

        lock (_gate)
        {
            _joining.Add(name);
        }

        try
        {
            var snapshot = await _client.JoinAsync(room, cancellationToken);
            lock (_gate)
            {
                _screen.Show(_formatter.Joined(snapshot));
                var recent = snapshot.Messages.TakeLast(RecentMessagesOnJoin).ToList();
                foreach (var message in recent)
                {
                    _screen.Show(_formatter.Message(message, _client.Nickname));
                }

                _oldestShown[snapshot.Room] = recent.Count > 0 ? recent[0].Seq : snapshot.LastSeq + 1;
                _lastShown[snapshot.Room] = snapshot.LastSeq;
                MakeActiveLocked(snapshot.Room);
            }
        }
        finally
        {
            lock (_gate)
            {
                _joining.Remove(name);
                ShowHeldLocked();
            }
        }
    }

    private async Task LeaveAllAsync(CancellationToken cancellationToken)
    {
        var left = await _client.LeaveAllAsync(cancellationToken);
        lock (_gate)
        {
            _recentRooms.Clear();
            _screen.Show(left.Count == 0 ? ChatFormatter.System("You are not in any room.") : ChatFormatter.System($"Left {string.Join(", ", left)}."));
        }

        ShowPrompt();
    }

    private async Task LeaveRoomAsync(string room, CancellationToken cancellationToken)
    {
        var name = RoomNames.Canonicalize(room);
        await _client.LeaveAsync(room, cancellationToken);
        lock (_gate)
        {
            var wasActive = _recentRooms.Count > 0 && _recentRooms[^1] == name;
            _recentRooms.Remove(name);
            _screen.Show(ChatFormatter.System($"Left room: {name}"));
            if (wasActive && _recentRooms.Count > 0)
            {
                _screen.Show(ChatFormatter.System($"Active room: {_recentRooms[^1]}"));
            }
        }

        ShowPrompt();
    }

    private async Task ListAsync(CancellationToken cancellationToken)
    {
        var rooms = await _client.ListRoomsAsync(cancellationToken);
        var active = ActiveRoom;
        ShowAll(rooms.Count == 0
            ? [ChatFormatter.System("No rooms yet. Start one with /join <room>.")]
            : [ChatFormatter.System(rooms.Count == 1 ? "1 room:" : $"{rooms.Count} rooms:"), .. rooms.Select(room => ChatFormatter.Room(room, room.Name == active))]);
    }

    private async Task ListMineAsync(CancellationToken cancellationToken)
    {
        var rooms = await _client.MyRoomsAsync(cancellationToken);
        var active = ActiveRoom;
        ShowAll(rooms.Count == 0
            ? [ChatFormatter.System("You are not in any room. Join one with /join <room>.")]
            : [ChatFormatter.System($"You are in {rooms.Count} {(rooms.Count == 1 ? "room" : "rooms")} (* is the active one):"), .. rooms.Select(room => ChatFormatter.Room(room, room.Name == active))]);
    }

    private async Task WhoAsync(string? room, CancellationToken cancellationToken)
    {
        var target = room ?? ActiveRoom;
        if (target is null)
        {
            Show(_formatter.NoActiveRoom());
            return;
        }

        Show(ChatFormatter.Who(await _client.WhoAsync(target, cancellationToken)));
    }

    private void Switch(string room)
    {
        var name = RoomNames.Canonicalize(room);
        if (!_client.Rooms.Contains(name))
        {
            Show(ChatFormatter.Error($"You are not in room {name}. Join it first with /join {name}."));
            return;
        }

        MakeActive(name);
        Show(ChatFormatter.System($"Active room: {name}"));
    }

    private async Task RenameAsync(string nickname, CancellationToken cancellationToken)
    {
        var before = _client.Nickname;
        var after = await _client.SetNicknameAsync(nickname, cancellationToken);

        // A real change is announced by the server's NicknameChanged, which this user gets too.
        if (string.Equals(before, after, StringComparison.Ordinal))
        {
            Show(ChatFormatter.System($"You are already known as {after}."));
        }

        ShowPrompt();
    }

    private async Task ShowHistoryAsync(int count, CancellationToken cancellationToken)
    {
        var room = ActiveRoom;
        if (room is null)
        {
            Show(_formatter.NoActiveRoom());
            return;
        }

        long before;
        lock (_gate)
        {
            before = _oldestShown.GetValueOrDefault(room, 0);
        }

        var messages = before == 1 ? [] : await _client.GetHistoryAsync(room, before, count, cancellationToken);
        lock (_gate)
        {
            if (messages.Count == 0)
            {
                _screen.Show(ChatFormatter.System($"No earlier messages in {room}."));
                return;
            }

            _screen.Show(ChatFormatter.System($"Earlier in {room}:"));
            foreach (var message in messages)
            {
                _screen.Show(_formatter.Message(message, _client.Nickname));
            }

            _screen.Show(ChatFormatter.System($"End of earlier messages in {room}."));
            _oldestShown[room] = messages[0].Seq;
        }
    }

    private void ShowHelp(string? command)
    {
        if (command is null)
        {
            ShowAll([.. ChatFormatter.Help(_help)]);
            return;
        }

        var entry = _help.FirstOrDefault(help => help.Command == command || (command == "/exit" && help.Command == "/quit"));
        Show(entry is null
            ? ChatFormatter.Error($"Unknown command {command}. Type /help for the list of commands.")
            : ChatFormatter.System($"{entry.Usage}: {entry.Description}"));
    }

    /// <summary>
    /// Leaves every room so the others see it at once, after waiting a moment for the server's copy of
    /// this user's last messages so a script's transcript is complete.
    /// </summary>
    private async Task LeaveAsync()
    {
        await WaitForOwnMessagesAsync(OwnEchoTimeout);
        var rooms = _client.Rooms;
        bool connected;
        lock (_gate)
        {
            connected = !_recovering && _client.State == Microsoft.AspNetCore.SignalR.Client.HubConnectionState.Connected;
        }

        if (rooms.Count > 0 && connected)
        {
            using var timeout = new CancellationTokenSource(LeaveTimeout);
            try
            {
                await _client.LeaveAllAsync(timeout.Token);
            }
            catch (Exception ex) when (ex is ChatException or OperationCanceledException)
            {
                // Closing the connection leaves the rooms too; the explicit leave only makes it prompt.
            }
        }

        Show(ChatFormatter.System(rooms.Count == 0 ? "Bye!" : $"Left {string.Join(", ", rooms)}. Bye!"));
    }

    private async Task WaitForOwnMessagesAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        while (true)
        {
            Task shown;
            lock (_gate)
            {
                if (_lastAcknowledged.All(entry => _lastShown.GetValueOrDefault(entry.Key) >= entry.Value || !_client.Rooms.Contains(entry.Key)))
                {
                    return;
                }

                shown = _shown.Task;
            }

            try
            {
                await shown.WaitAsync(cancel.Token);
            }
            catch (OperationCanceledException)
            {
                return;
            }
        }
    }

    private async Task SignalTypingAsync(string room)
    {
        try
        {
            await _client.TypingAsync(room);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // Typing notices are a courtesy; a lost one is not worth troubling the user.
        }
    }

    private void OnMessage(ChatMessage message)
    {
        lock (_gate)
        {
            if (_recovering || _joining.Contains(message.Room))
            {
                _held.Add(message);
                return;
            }

            ShowMessageLocked(message);
        }
    }

    private void ShowMessageLocked(ChatMessage message)
    {
        _screen.Show(_formatter.Message(message, _client.Nickname));
        _lastShown[message.Room] = Math.Max(message.Seq, _lastShown.GetValueOrDefault(message.Room));
        _shown.TrySetResult();
        _shown = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        if (_typists.Stopped(message.Room, message.Sender))
        {
            RefreshTypingLocked();
        }
    }

    private void ShowHeldLocked()
    {
        var ready = _recovering ? [] : _held.Where(message => !_joining.Contains(message.Room)).ToList();
        foreach (var message in ready)
        {
            _held.Remove(message);
            ShowMessageLocked(message);
        }
    }

    private void OnUserLeft(RoomPresence presence)
    {
        lock (_gate)
        {
            _screen.Show(_formatter.UserLeft(presence));
            if (_typists.Stopped(presence.Room, presence.Nickname))
            {
                RefreshTypingLocked();
            }
        }
    }

    private void OnUserTyping(RoomPresence presence)
    {
        if (!_screen.HasStatusLine)
        {
            return;
        }

        lock (_gate)
        {
            _typists.Started(presence, _time.GetUtcNow());
            RefreshTypingLocked();
        }
    }

    private void OnNicknameChanged(NicknameChange change)
    {
        lock (_gate)
        {
            _typists.Renamed(change.OldNickname, change.NewNickname);
            _screen.Show(_formatter.NicknameChanged(change, _client.Nickname));
        }

        ShowPrompt();
    }

    private void OnReconnecting(Exception? error)
    {
        lock (_gate)
        {
            _recovering = true;
            _screen.Show(_formatter.Reconnecting());
        }
    }

    private void OnReconnected(RecoveryReport report)
    {
        lock (_gate)
        {
            _recovering = false;
            _screen.Show(_formatter.Reconnected(report));
            foreach (var lost in _recentRooms.Except(report.Rooms).ToList())
            {
                _recentRooms.Remove(lost);
                _screen.Show(ChatFormatter.Error($"Could not rejoin {lost}."));
            }

            ShowHeldLocked();
        }

        ShowPrompt();
    }

    private void OnClosed(Exception? error)
    {
        lock (_gate)
        {
            _recovering = false;
            ShowHeldLocked();
            if (!_leaving)
            {
                var reason = error is null ? "the connection was closed." : ChatException.SentenceOf(error);
                _screen.Show(ChatFormatter.Error($"Disconnected from the chat server: {reason}"));
            }
        }

        _closed.TrySetResult(error);
    }

    private void RefreshTyping()
    {
        lock (_gate)
        {
            RefreshTypingLocked();
        }
    }

    private void RefreshTypingLocked()
    {
        if (_leaving)
        {
            return;
        }

        var now = _time.GetUtcNow();
        _screen.ShowStatus(_formatter.Typing(_typists.Current(now), _recentRooms.Count == 0 ? null : _recentRooms[^1]));
        if (_typists.NextExpiry is { } next)
        {
            _typingExpiry.Change(next > now ? next - now : TimeSpan.Zero, Timeout.InfiniteTimeSpan);
        }
    }

    private void MakeActive(string room)
    {
        lock (_gate)
        {
            MakeActiveLocked(room);
        }

        ShowPrompt();
    }

    private void MakeActiveLocked(string room)
    {
        _recentRooms.Remove(room);
        _recentRooms.Add(room);
        _screen.ShowPrompt(_formatter.Prompt(_client.Nickname, room));

        // "Bob is typing in tech…" names rooms other than the active one.
        RefreshTypingLocked();
    }

    private void ShowPrompt()
    {
        lock (_gate)
        {
            _screen.ShowPrompt(_formatter.Prompt(_client.Nickname, _recentRooms.Count == 0 ? null : _recentRooms[^1]));
        }
    }

    private void Show(StyledText line)
    {
        lock (_gate)
        {
            _screen.Show(line);
        }
    }

    private void ShowAll(IReadOnlyList<StyledText> lines)
    {
        lock (_gate)
        {
            foreach (var line in lines)
            {
                _screen.Show(line);
            }
        }
    }
}
