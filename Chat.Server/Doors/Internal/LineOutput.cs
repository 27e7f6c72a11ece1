using System.Collections.Concurrent;
using System.Threading.Channels;
using Chat.Protocol;
using NicknameRule = Chat.Server.Rooms.Nickname;

namespace Chat.Server.Doors.Internal;

/// <summary>
/// Everything a line door's user sees, in one ordered queue: the hub's events and the answers to the
/// user's commands. One pump writes it to the door, so the door's wire has one writer, and a room's
/// messages follow the rule of docs/protocol.md ("Receiving each message once, in order"): messages and
/// member changes that arrive before the room's join answer wait for it, its snapshot comes first, and a
/// message whose <c>seq</c> was already shown is dropped.
/// </summary>
/// <remarks>
/// The queue is bounded and the hub's handlers await room in it: a user who stops reading stops the
/// pump, then the handlers, then the hub's writes, and the connection guard closes the hub connection
/// as a stalled reader, which closes the door.
/// </remarks>
internal sealed class LineOutput(ILineWriter writer)
{
    // A room's pending events while its join is in flight: more than a join's worth means something is wrong.
    private const int MaxPending = 256;

    private readonly Channel<Item> _items = Channel.CreateBounded<Item>(new BoundedChannelOptions(64) { SingleReader = true });

    // Owned by the pump.
    private readonly Dictionary<string, RoomView> _rooms = new(StringComparer.Ordinal);
    private readonly Dictionary<string, List<Item>> _pending = new(StringComparer.Ordinal);

    // Read by /history on the command side.
    private readonly ConcurrentDictionary<string, long> _oldestShown = new(StringComparer.Ordinal);

    private volatile string _nickname = "";

    /// <summary>The user's nickname: set once connected, then by the hub's <c>NicknameChanged</c>.</summary>
    public string Nickname
    {
        get => _nickname;
        set => _nickname = value;
    }

    /// <summary>The oldest <c>seq</c> shown in <paramref name="room"/> (0: none yet, history starts at the latest).</summary>
    public long OldestShown(string room) => _oldestShown.TryGetValue(room, out var seq) ? seq : 0;

    public Task MessageAsync(ChatMessage message) => PostAsync(new Received(message));

    public Task DirectAsync(DirectMessage message) => PostAsync(new Direct(message));

    public Task MembersChangedAsync(RoomMembersChanged change) => PostAsync(new Members(change));

    public Task NicknameChangedAsync(NicknameChange change) => PostAsync(new Renamed(change));

    public Task JoinedAsync(RoomSnapshot snapshot) => PostAsync(new Joined(snapshot));

    public Task EarlierAsync(string room, IReadOnlyList<ChatMessage> messages) => PostAsync(new Earlier(room, messages));

    /// <summary>The user is out of <paramref name="room"/>; <paramref name="text"/> (if any) says so.</summary>
    public Task LeftAsync(string room, string? text, string? kind = null) => PostAsync(new Left(room, text, kind));

    public Task SystemAsync(string text, string? kind = null) => PostAsync(new Line(text, kind, Error: false));

    public Task ErrorAsync(string text) => PostAsync(new Line(text, null, Error: true));

    /// <summary>Nothing more will be posted; the pump ends once the queue is written.</summary>
    public void Complete() => _items.Writer.TryComplete();

    /// <summary>Writes the queue to the door until <see cref="Complete"/> and the queue is empty.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var item in _items.Reader.ReadAllAsync(cancellationToken))
            {
                await WriteAsync(item, cancellationToken);
            }
        }
        finally
        {
            // A failed write (the client is gone or stalled) must not leave the hub's handlers waiting for room.
            Complete();
        }
    }

    public static string Users(IReadOnlyList<string> users) =>
        $"{users.Count} {(users.Count == 1 ? "user" : "users")}: {string.Join(", ", users)}";

    private async Task PostAsync(Item item)
    {
        // After Complete (the door is closing) there is nobody to tell.
        try
        {
            await _items.Writer.WriteAsync(item);
        }
        catch (ChannelClosedException)
        {
        }
    }

    private async Task WriteAsync(Item item, CancellationToken cancellationToken)
    {
        switch (item)
        {
            case Received { Message: var message }:
                if (!_rooms.TryGetValue(message.Room, out var room))
                {
                    Hold(message.Room, item);
                }
                else if (message.Seq > room.LastSeq)
                {
                    room.LastSeq = message.Seq;
                    await writer.MessageAsync(message, earlier: false, cancellationToken);
                }

                break;
            case Members { Change: var change }:
                await ShowMembersAsync(change, item, cancellationToken);
                break;
            case Joined { Snapshot: var snapshot }:
                await ShowJoinedAsync(snapshot, cancellationToken);
                break;
            case Earlier(var name, var messages):
                await ShowEarlierAsync(name, messages, cancellationToken);
                break;
            case Left(var name, var text, var kind):
                _rooms.Remove(name);
                _pending.Remove(name);
                _oldestShown.TryRemove(name, out _);
                if (text is not null)
                {
                    await writer.SystemAsync(text, kind, cancellationToken);
                }

                break;
            case Renamed { Change: var change }:
                await ShowRenameAsync(change, cancellationToken);
                break;
            case Direct { Message: var message }:
                await writer.DirectAsync(message, cancellationToken);
                break;
            case Line { Error: true } line:
                await writer.ErrorAsync(line.Text, cancellationToken);
                break;
            case Line line:
                await writer.SystemAsync(line.Text, line.Kind, cancellationToken);
                break;
        }
    }

    private async Task ShowMembersAsync(RoomMembersChanged change, Item item, CancellationToken cancellationToken)
    {
        if (!_rooms.TryGetValue(change.Room, out var room))
        {
            Hold(change.Room, item);
            return;
        }

        foreach (var member in change.Changes)
        {
            // Repeats of what the list already says show nothing (docs/protocol.md, "Member lists").
            var key = NicknameRule.Key(member.Nickname);
            var changed = member.Joined ? room.Members.Add(key) : room.Members.Remove(key);
            if (changed && !IsMe(member.Nickname))
            {
                await writer.SystemAsync($"{member.Nickname} {(member.Joined ? "joined" : "left")} {change.Room}", null, cancellationToken);
            }
        }
    }

    private async Task ShowJoinedAsync(RoomSnapshot snapshot, CancellationToken cancellationToken)
    {
        _rooms[snapshot.Room] = new RoomView(snapshot.LastSeq, [.. snapshot.Members.Select(NicknameRule.Key)]);
        await writer.SystemAsync($"Joined room: {snapshot.Room} ({Users(snapshot.Members)})", null, cancellationToken);
        foreach (var message in snapshot.Messages)
        {
            await writer.MessageAsync(message, earlier: true, cancellationToken);
        }

        _oldestShown[snapshot.Room] = snapshot.Messages.Count > 0 ? snapshot.Messages[0].Seq : 0;

        // What came while the join was in flight, on top of the snapshot.
        if (_pending.Remove(snapshot.Room, out var pending))
        {
            foreach (var item in pending)
            {
                await WriteAsync(item, cancellationToken);
            }
        }
    }

    private async Task ShowEarlierAsync(string room, IReadOnlyList<ChatMessage> messages, CancellationToken cancellationToken)
    {
        if (messages.Count == 0)
        {
            await writer.SystemAsync($"No earlier messages in {room}.", null, cancellationToken);
            return;
        }

        await writer.SystemAsync($"Earlier in {room}:", null, cancellationToken);
        foreach (var message in messages)
        {
            await writer.MessageAsync(message, earlier: true, cancellationToken);
        }

        _oldestShown[room] = messages[0].Seq;
        await writer.SystemAsync($"End of earlier messages in {room}.", null, cancellationToken);
    }

    private async Task ShowRenameAsync(NicknameChange change, CancellationToken cancellationToken)
    {
        foreach (var room in _rooms.Values)
        {
            if (room.Members.Remove(NicknameRule.Key(change.OldNickname)))
            {
                room.Members.Add(NicknameRule.Key(change.NewNickname));
            }
        }

        if (IsMe(change.OldNickname))
        {
            Nickname = change.NewNickname;
            await writer.SystemAsync($"You are now known as {change.NewNickname}", null, cancellationToken);
            return;
        }

        await writer.SystemAsync($"{change.OldNickname} is now known as {change.NewNickname}", null, cancellationToken);
    }

    private void Hold(string room, Item item)
    {
        if (!_pending.TryGetValue(room, out var pending))
        {
            _pending[room] = pending = [];
        }

        if (pending.Count < MaxPending)
        {
            pending.Add(item);
        }
    }

    private bool IsMe(string nickname) => NicknameRule.Key(nickname) == NicknameRule.Key(Nickname);

    private sealed class RoomView(long lastSeq, HashSet<string> members)
    {
        public long LastSeq { get; set; } = lastSeq;

        public HashSet<string> Members { get; } = members;
    }

    private abstract record Item;

    private sealed record Received(ChatMessage Message) : Item;

    private sealed record Direct(DirectMessage Message) : Item;

    private sealed record Members(RoomMembersChanged Change) : Item;

    private sealed record Renamed(NicknameChange Change) : Item;

    private sealed record Joined(RoomSnapshot Snapshot) : Item;

    private sealed record Earlier(string Room, IReadOnlyList<ChatMessage> Messages) : Item;

    private sealed record Left(string Room, string? Text, string? Kind) : Item;

    private sealed record Line(string Text, string? Kind, bool Error) : Item;
}
