using System.Threading.Channels;
using Chat.Protocol.Commands;
using Chat.Client.Console.Rendering;
using Chat.Protocol;
using Microsoft.AspNetCore.SignalR.Client;

namespace Chat.Client.Console.Chatting;

/// <summary>
/// One connected user at the console: runs the typed commands through the <see cref="ChatClient"/>;
/// the <see cref="ConversationView"/> shows their answers and everything the client raises.
/// </summary>
internal sealed class Conversation
{
    private static readonly TimeSpan LeaveTimeout = TimeSpan.FromSeconds(3);

    // A script's last line is often a message right before /quit; its copy from the server should show.
    private static readonly TimeSpan OwnEchoTimeout = TimeSpan.FromSeconds(2);

    private readonly ChatClient _client;
    private readonly ConversationView _view;
    private readonly ChatFormatter _formatter;
    private readonly TimeProvider _time;
    private readonly TypingSignal _typingSignal = new(TypingSignal.DefaultInterval);
    private IReadOnlyList<CommandHelp> _help = [];

    public Conversation(ChatClient client, IChatScreen screen, ChatFormatter formatter, TimeProvider time)
    {
        _client = client;
        _view = new ConversationView(client, screen, formatter, time);
        _formatter = formatter;
        _time = time;
    }

    /// <summary>The room plain text goes to: the last one joined or switched to.</summary>
    public string? ActiveRoom => _view.ActiveRoom;

    /// <summary>
    /// Joins the start rooms, then runs each entered line until /quit, the end of the input or
    /// cancellation (Ctrl+C), and leaves so the others see it. Returns the process exit code.
    /// </summary>
    public async Task<int> RunAsync(ChannelReader<string> input, IReadOnlyList<string> startRooms, CancellationToken cancellationToken)
    {
        try
        {
            _view.Show(_formatter.Connected(_client.Server, _client.Nickname ?? "?", _client.SignedIn));
            _view.ShowPrompt();

            // The usage lines for mistyped commands come from the server's table, so every client words them alike.
            try
            {
                _help = await _client.HelpAsync(cancellationToken);
            }
            catch (ChatException ex) when (!_view.Closed.IsCompleted)
            {
                _view.Show(ChatFormatter.Error(ex.Message));
            }

            foreach (var room in startRooms)
            {
                await ExecuteAsync(new JoinCommand(room), cancellationToken);
            }

            while (true)
            {
                var next = input.ReadAsync(cancellationToken).AsTask();
                if (await Task.WhenAny(next, _view.Closed) == _view.Closed)
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
        catch (ChatException) when (_view.Closed.IsCompleted)
        {
            return ExitCodes.Failure;
        }
        finally
        {
            _view.StopTyping();
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
        catch (ChatException ex) when (!_view.Closed.IsCompleted)
        {
            _view.Show(ChatFormatter.Error(ex.Message));
        }
    }

    /// <summary>A line was entered: if it will wait for the connection, say so now rather than when it goes.</summary>
    public void NoteEntered(string line)
    {
        if (_client.State != HubConnectionState.Connected && _view.ActiveRoom is not null && CommandParser.Parse(line) is SayCommand say)
        {
            _view.Show(_formatter.Queued(say.Text));
        }
    }

    /// <summary>The user typed a character: tell the active room, at the pace the server passes it on.</summary>
    public void NoteEdited(string input)
    {
        var room = ActiveRoom;
        if (_client.State != HubConnectionState.Connected
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
                await JoinAsync(join.Room, join.Key, cancellationToken);
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
            case TopicCommand topic:
                // Every operator's change comes back to the room's members, this user too, as RoomChanged: shown from there.
                await InActiveRoomAsync(room => _client.SetTopicAsync(room, topic.Text, cancellationToken));
                break;
            case KickCommand kick:
                await InActiveRoomAsync(room => _client.KickAsync(room, kick.Nickname, kick.Reason, cancellationToken));
                break;
            case RoleCommand { Action: "invite" } invite:
                await InActiveRoomAsync(async room =>
                {
                    await _client.InviteAsync(room, invite.Nickname, cancellationToken);
                    _view.Show(ChatFormatter.System($"Invited {invite.Nickname} to #{room}."));
                });
                break;
            case RoleCommand role:
                await InActiveRoomAsync(room => RunRoleAsync(room, role, cancellationToken));
                break;
            case ModeCommand mode:
                await InActiveRoomAsync(room => _client.SetModeAsync(room, mode.Mode, mode.Key, cancellationToken));
                break;
            case UnknownCommand unknown:
                _view.Show(ChatFormatter.Error($"Unknown command {unknown.Name}. Type /help for the list of commands."));
                break;
            case InvalidCommand invalid:
                var usage = _help.FirstOrDefault(entry => entry.Command == invalid.Command)?.Usage;
                _view.Show(ChatFormatter.Error(usage is null ? invalid.Problem : $"{invalid.Problem} Usage: {usage}"));
                break;
        }
    }

    private async Task SayAsync(string text, CancellationToken cancellationToken)
    {
        var room = ActiveRoom;
        if (room is null)
        {
            _view.Show(_formatter.NoActiveRoom());
            return;
        }

        // The server sends the message to every member, this user included; it is shown from there.
        var sent = await _client.SendAsync(room, text, cancellationToken);
        _view.NoteAcknowledged(sent);
    }

    /// <summary>Runs an operator's command on the active room; without one, says how to get one.</summary>
    private async Task InActiveRoomAsync(Func<string, Task> command)
    {
        if (ActiveRoom is not { } room)
        {
            _view.Show(_formatter.NoActiveRoom());
            return;
        }

        await command(room);
    }

    private Task RunRoleAsync(string room, RoleCommand role, CancellationToken cancellationToken) => role.Action switch
    {
        RoomActions.Ban => _client.BanAsync(room, role.Nickname, cancellationToken),
        RoomActions.Unban => _client.UnbanAsync(room, role.Nickname, cancellationToken),
        RoomActions.Op => _client.OpAsync(room, role.Nickname, cancellationToken),
        RoomActions.Deop => _client.DeopAsync(room, role.Nickname, cancellationToken),
        RoomActions.Voice => _client.VoiceAsync(room, role.Nickname, cancellationToken),
        RoomActions.Devoice => _client.DevoiceAsync(room, role.Nickname, cancellationToken),
        _ => throw new InvalidOperationException($"The parser made a role command the console does not know: {role.Action}."),
    };

    private async Task JoinAsync(string room, string? key, CancellationToken cancellationToken)
    {
        var name = RoomNames.Canonicalize(room);
        if (_client.Rooms.Contains(name))
        {
            _view.MakeActive(name);
            _view.Show(ChatFormatter.System($"You are already in {name}; it is the active room now."));
            return;
        }

        // The view shows the room from the client's RoomJoined, raised before the room's messages.
        await _client.JoinAsync(room, key, cancellationToken);
    }

    private async Task LeaveAllAsync(CancellationToken cancellationToken)
    {
        var left = await _client.LeaveAllAsync(cancellationToken);
        _view.ShowLeftAll(left);
    }

    private async Task LeaveRoomAsync(string room, CancellationToken cancellationToken)
    {
        var name = RoomNames.Canonicalize(room);
        await _client.LeaveAsync(room, cancellationToken);
        _view.ShowLeft(name);
    }

    private async Task ListAsync(CancellationToken cancellationToken)
    {
        var rooms = await _client.ListRoomsAsync(cancellationToken);
        var active = ActiveRoom;
        _view.ShowAll(rooms.Count == 0
            ? [ChatFormatter.System("No rooms yet. Start one with /join <room>.")]
            : [ChatFormatter.System(rooms.Count == 1 ? "1 room:" : $"{rooms.Count} rooms:"), .. rooms.Select(room => ChatFormatter.Room(room, room.Name == active))]);
    }

    private async Task ListMineAsync(CancellationToken cancellationToken)
    {
        var rooms = await _client.MyRoomsAsync(cancellationToken);
        var active = ActiveRoom;
        _view.ShowAll(rooms.Count == 0
            ? [ChatFormatter.System("You are not in any room. Join one with /join <room>.")]
            : [ChatFormatter.System($"You are in {rooms.Count} {(rooms.Count == 1 ? "room" : "rooms")} (* is the active one):"), .. rooms.Select(room => ChatFormatter.Room(room, room.Name == active))]);
    }

    private async Task WhoAsync(string? room, CancellationToken cancellationToken)
    {
        var target = room ?? ActiveRoom;
        if (target is null)
        {
            _view.Show(_formatter.NoActiveRoom());
            return;
        }

        var summary = await _client.WhoAsync(target, cancellationToken);
        _view.Show(ChatFormatter.Who(summary, _client.SettingsOf(summary.Name)));
    }

    private void Switch(string room)
    {
        var name = RoomNames.Canonicalize(room);
        if (!_client.Rooms.Contains(name))
        {
            _view.Show(ChatFormatter.Error($"You are not in room {name}. Join it first with /join {name}."));
            return;
        }

        _view.MakeActive(name);
        _view.Show(ChatFormatter.System($"Active room: {name}"));
    }

    private async Task RenameAsync(string nickname, CancellationToken cancellationToken)
    {
        var before = _client.Nickname;
        var after = await _client.SetNicknameAsync(nickname, cancellationToken);

        // A real change is announced by the server's NicknameChanged, which this user gets too.
        if (string.Equals(before, after, StringComparison.Ordinal))
        {
            _view.Show(ChatFormatter.System($"You are already known as {after}."));
        }

        _view.ShowPrompt();
    }

    private async Task ShowHistoryAsync(int count, CancellationToken cancellationToken)
    {
        var room = ActiveRoom;
        if (room is null)
        {
            _view.Show(_formatter.NoActiveRoom());
            return;
        }

        var before = _view.OldestShown(room);
        var messages = before == 1 ? [] : await _client.GetHistoryAsync(room, before, count, cancellationToken);
        _view.ShowEarlier(room, messages);
    }

    private void ShowHelp(string? command)
    {
        if (command is null)
        {
            _view.ShowAll([.. ChatFormatter.Help(_help)]);
            return;
        }

        var entry = _help.FirstOrDefault(help => help.Command == command || (command == "/exit" && help.Command == "/quit"));
        _view.Show(entry is null
            ? ChatFormatter.Error($"Unknown command {command}. Type /help for the list of commands.")
            : ChatFormatter.System($"{entry.Usage}: {entry.Description}"));
    }

    /// <summary>
    /// Leaves every room so the others see it at once, after waiting a moment for the server's copy of
    /// this user's last messages so a script's transcript is complete.
    /// </summary>
    private async Task LeaveAsync()
    {
        await _view.WaitForOwnMessagesAsync(OwnEchoTimeout);
        var rooms = _client.Rooms;
        if (rooms.Count > 0 && _client.State == HubConnectionState.Connected)
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

        _view.Show(ChatFormatter.System(rooms.Count == 0 ? "Bye!" : $"Left {string.Join(", ", rooms)}. Bye!"));
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
}
