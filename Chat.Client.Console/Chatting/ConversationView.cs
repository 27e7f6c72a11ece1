using Chat.Client.Console.Rendering;
using Chat.Protocol;

namespace Chat.Client.Console.Chatting;

/// <summary>
/// What the console shows of a conversation: the <see cref="ChatClient"/>'s events as they are raised,
/// the answers of commands, the prompt with the active room, and who is typing.
/// </summary>
/// <remarks>
/// The client raises its events in the order they should be read (a join's snapshot before the room's
/// messages, the "[reconnected: …]" report before what it recovered), so each is shown as it comes.
/// Lines reach the screen from the command loop and from the client's event thread; <c>_gate</c> makes
/// each decision about what to show and its showing one step. The screen has its own lock, always
/// taken inside this one.
/// </remarks>
internal sealed class ConversationView
{
    /// <summary>How many of a joined room's latest messages are shown; /history shows more.</summary>
    public const int RecentMessagesOnJoin = 10;

    private readonly ChatClient _client;
    private readonly IChatScreen _screen;
    private readonly ChatFormatter _formatter;
    private readonly TimeProvider _time;
    private readonly TypingIndicator _typists = new(TypingIndicator.DefaultShownFor);
    private readonly ITimer _typingExpiry;
    private readonly TaskCompletionSource<Exception?> _closed = new(TaskCreationOptions.RunContinuationsAsynchronously);

    private readonly Lock _gate = new();
    private readonly List<string> _recentRooms = [];
    private readonly Dictionary<string, long> _oldestShown = new(StringComparer.Ordinal);

    // The last seq shown and the last one of this user's sends acknowledged, per room: at /quit the
    // view waits a moment for the server's copy of this user's last messages.
    private readonly Dictionary<string, long> _lastShown = new(StringComparer.Ordinal);
    private readonly Dictionary<string, long> _lastAcknowledged = new(StringComparer.Ordinal);
    private TaskCompletionSource _shown = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private bool _leaving;

    public ConversationView(ChatClient client, IChatScreen screen, ChatFormatter formatter, TimeProvider time)
    {
        _client = client;
        _screen = screen;
        _formatter = formatter;
        _time = time;
        _typingExpiry = time.CreateTimer(_ => RefreshTyping(), null, Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);

        client.RoomJoined += OnJoined;
        client.MessageReceived += OnMessage;
        client.DirectMessageReceived += message => Show(_formatter.Direct(message, _client.Nickname));
        client.UserJoined += presence => Show(_formatter.UserJoined(presence));
        client.UserLeft += OnUserLeft;
        client.UserTyping += OnUserTyping;
        client.NicknameChanged += OnNicknameChanged;
        client.NoticeReceived += notice => Show(_formatter.Notice(notice));
        client.RoomClosed += closure => ShowOut(closure.Room, _formatter.RoomClosed(closure));
        client.RoomChanged += OnRoomChanged;
        client.Invited += invitation => Show(_formatter.Invited(invitation));
        client.Reconnecting += _ => Show(_formatter.Reconnecting());
        client.Reconnected += OnReconnected;
        client.Closed += OnClosed;
    }

    /// <summary>Completes when the connection has ended for good, with its error.</summary>
    public Task<Exception?> Closed => _closed.Task;

    /// <summary>The room plain text goes to: the last one joined or switched to.</summary>
    public string? ActiveRoom
    {
        get
        {
            lock (_gate)
            {
                return ActiveRoomLocked;
            }
        }
    }

    private string? ActiveRoomLocked => _recentRooms.Count == 0 ? null : _recentRooms[^1];

    public void Show(StyledText line)
    {
        lock (_gate)
        {
            _screen.Show(line);
        }
    }

    public void ShowAll(IReadOnlyList<StyledText> lines)
    {
        lock (_gate)
        {
            foreach (var line in lines)
            {
                _screen.Show(line);
            }
        }
    }

    public void ShowPrompt()
    {
        lock (_gate)
        {
            _screen.ShowPrompt(_formatter.Prompt(_client.Nickname, ActiveRoomLocked));
        }
    }

    public void MakeActive(string room)
    {
        lock (_gate)
        {
            MakeActiveLocked(room);
        }
    }

    /// <summary>This user left one room: the one used before it becomes active again.</summary>
    public void ShowLeft(string room) => ShowOut(room, ChatFormatter.System($"Left room: {room}"));

    /// <summary>This user is out of <paramref name="room"/> (left it, or it was closed), which <paramref name="line"/> says.</summary>
    private void ShowOut(string room, StyledText line)
    {
        lock (_gate)
        {
            var wasActive = ActiveRoomLocked == room;
            _recentRooms.Remove(room);
            _screen.Show(line);
            if (wasActive && ActiveRoomLocked is { } active)
            {
                _screen.Show(ChatFormatter.System($"Active room: {active}"));
            }

            _screen.ShowPrompt(_formatter.Prompt(_client.Nickname, ActiveRoomLocked));
        }
    }

    public void ShowLeftAll(IReadOnlyList<string> left)
    {
        lock (_gate)
        {
            _recentRooms.Clear();
            _screen.Show(left.Count == 0 ? ChatFormatter.System("You are not in any room.") : ChatFormatter.System($"Left {string.Join(", ", left)}."));
            _screen.ShowPrompt(_formatter.Prompt(_client.Nickname, null));
        }
    }

    /// <summary>The seq /history reads back from: the oldest message of the room shown so far.</summary>
    public long OldestShown(string room)
    {
        lock (_gate)
        {
            return _oldestShown.GetValueOrDefault(room, 0);
        }
    }

    /// <summary>Shows messages older than those shown (oldest first), and remembers how far back they reach.</summary>
    public void ShowEarlier(string room, IReadOnlyList<ChatMessage> messages)
    {
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

    /// <summary>The server stored a message of this user's; its copy to the room is still to be shown.</summary>
    public void NoteAcknowledged(ChatMessage sent)
    {
        lock (_gate)
        {
            _lastAcknowledged[sent.Room] = Math.Max(sent.Seq, _lastAcknowledged.GetValueOrDefault(sent.Room));
        }
    }

    /// <summary>Waits, at most <paramref name="timeout"/>, until every acknowledged message of this user has been shown.</summary>
    public async Task WaitForOwnMessagesAsync(TimeSpan timeout)
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

    /// <summary>The user is leaving: nothing waits for the typing timer any more and the typing status stays off.</summary>
    public void StopTyping()
    {
        lock (_gate)
        {
            _leaving = true;
            _typingExpiry.Dispose();
        }
    }

    private void OnJoined(RoomSnapshot snapshot)
    {
        lock (_gate)
        {
            _screen.Show(_formatter.Joined(snapshot));
            if (_formatter.Topic(snapshot) is { } topic)
            {
                _screen.Show(topic);
            }

            var recent = snapshot.Messages.TakeLast(RecentMessagesOnJoin).ToList();
            foreach (var message in recent)
            {
                _screen.Show(_formatter.Message(message, _client.Nickname));
            }

            _oldestShown[snapshot.Room] = recent.Count > 0 ? recent[0].Seq : snapshot.LastSeq + 1;
            _lastShown[snapshot.Room] = Math.Max(snapshot.LastSeq, _lastShown.GetValueOrDefault(snapshot.Room));
            MakeActiveLocked(snapshot.Room);
        }
    }

    private void OnMessage(ChatMessage message)
    {
        lock (_gate)
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
    }

    private void OnRoomChanged(RoomEvent change)
    {
        var line = _formatter.RoomChanged(change, _client.Nickname);

        // The client has already dropped a room this user was kicked or banned from.
        if (!_client.Rooms.Contains(change.Room))
        {
            ShowOut(change.Room, line);
        }
        else
        {
            Show(line);
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

    private void OnReconnected(RecoveryReport report)
    {
        lock (_gate)
        {
            _screen.Show(_formatter.Reconnected(report));
            foreach (var lost in _recentRooms.Except(report.Rooms).ToList())
            {
                _recentRooms.Remove(lost);
                _screen.Show(ChatFormatter.Error($"Could not rejoin {lost}."));
            }
        }

        ShowPrompt();
    }

    private void OnClosed(Exception? error)
    {
        lock (_gate)
        {
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
        _screen.ShowStatus(_formatter.Typing(_typists.Current(now), ActiveRoomLocked));
        if (_typists.NextExpiry is { } next)
        {
            _typingExpiry.Change(next > now ? next - now : TimeSpan.Zero, Timeout.InfiniteTimeSpan);
        }
    }

    private void MakeActiveLocked(string room)
    {
        _recentRooms.Remove(room);
        _recentRooms.Add(room);
        _screen.ShowPrompt(_formatter.Prompt(_client.Nickname, room));

        // "Bob is typing in tech…" names rooms other than the active one.
        RefreshTypingLocked();
    }
}
