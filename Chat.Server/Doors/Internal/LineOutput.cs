using System.Collections.Concurrent;
using System.Threading.Channels;
using Chat.Protocol;
using Chat.Protocol.Receiving;
using NicknameRule = Chat.Server.Rooms.Nickname;

namespace Chat.Server.Doors.Internal;

/// <summary>
/// Everything a line door's user sees, in one ordered queue: the hub's events and the answers to the
/// user's commands. One pump writes it to the door, so the door's wire has one writer, and a room's
/// messages and members follow the rules of docs/protocol.md ("Receiving each message once, in order",
/// "Member lists") with the .NET client's own pieces (<see cref="DoorRoomOrder"/>): messages and member
/// changes that arrive before the room's join answer wait for it, its snapshot comes first, a repeat is
/// dropped, and a message ahead of a gap waits for the gap, which <see cref="RoomCatchUp.FillGapAsync"/>
/// fetches with <c>MissedSince</c> when it does not close by itself; the page it fetches comes back
/// through the queue, so the pump alone writes.
/// </summary>
/// <remarks>
/// The queue is bounded and the hub's handlers await room in it. That does not reach the hub (SignalR's
/// client queues invocations before it runs the handlers), so a user who stops reading is dropped by
/// the writer: each write to the client is bounded by <c>StallTimeoutSeconds</c>.
/// </remarks>
internal sealed class LineOutput(
    ILineWriter writer,
    Func<string, long, CancellationToken, Task<IReadOnlyList<ChatMessage>>> missedSince,
    TimeProvider time)
{
    // A room's pending events while its join is in flight: more than a join's worth means something is wrong.
    private const int MaxPending = 256;

    private readonly Channel<Item> _items = Channel.CreateBounded<Item>(new BoundedChannelOptions(64) { SingleReader = true });

    // Gap fills stop when the output does.
    private readonly CancellationTokenSource _closing = new();

    // Owned by the pump.
    private readonly Dictionary<string, DoorRoomOrder> _rooms = new(StringComparer.Ordinal);
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

    /// <summary>A room's change; a kick or ban of this user also takes the room off their list, as a leave does.</summary>
    public Task RoomChangedAsync(RoomEvent change) => PostAsync(new Changed(change));

    public Task InvitedAsync(RoomInvitation invitation) => PostAsync(new Invitation(invitation));

    public Task EarlierAsync(string room, IReadOnlyList<ChatMessage> messages) => PostAsync(new Earlier(room, messages));

    /// <summary>The user is out of <paramref name="room"/>; <paramref name="text"/> (if any) says so.</summary>
    public Task LeftAsync(string room, string? text, string? kind = null) => PostAsync(new Left(room, text, kind));

    public Task SystemAsync(string text, string? kind = null) => PostAsync(new Line(text, kind, Error: false));

    public Task ErrorAsync(string text) => PostAsync(new Line(text, null, Error: true));

    /// <summary>Nothing more will be posted; the pump ends once the queue is written.</summary>
    public void Complete()
    {
        _items.Writer.TryComplete();
        _closing.Cancel();
    }

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
                    break;
                }

                await ShowAsync(room.Offer(message), cancellationToken);
                if (room.Sequence.HasGap)
                {
                    _ = room.FillGapAsync(missedSince, page => OfferFetchedAsync(room, page), time, _closing.Token);
                }

                break;
            case Fetched(var order, var page, var done):
                try
                {
                    // A page for a room left (or left and joined again) meanwhile belongs to nobody.
                    if (_rooms.TryGetValue(order.Room, out var current) && current == order)
                    {
                        var fresh = order.OfferFromStore(page, out var delivered);
                        await ShowAsync(delivered, cancellationToken);
                        done.TrySetResult(fresh);
                    }
                }
                finally
                {
                    done.TrySetResult(0);
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
            case Changed { Change: var change }:
                await writer.RoomChangedAsync(change, RoomEventText.Of(change, Nickname), cancellationToken);
                if (change.Removes(Nickname))
                {
                    await WriteAsync(new Left(change.Room, null, null), cancellationToken);
                }

                break;
            case Invitation { Invited: var invitation }:
                await writer.InvitedAsync(invitation, RoomEventText.Of(invitation), cancellationToken);
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

        // Repeats of what the list already says show nothing (docs/protocol.md, "Member lists").
        foreach (var member in room.Members.Apply(change.Changes))
        {
            if (!IsMe(member.Nickname))
            {
                await writer.SystemAsync($"{member.Nickname} {(member.Joined ? "joined" : "left")} {change.Room}", null, cancellationToken);
            }
        }
    }

    private async Task ShowJoinedAsync(RoomSnapshot snapshot, CancellationToken cancellationToken)
    {
        var room = new DoorRoomOrder(snapshot.Room);
        _rooms[snapshot.Room] = room;
        await writer.SystemAsync($"Joined room: {snapshot.Room} ({Users(snapshot.Members)})", null, cancellationToken);
        if (RoomEventText.TopicOnJoin(snapshot) is { } topic)
        {
            await writer.SystemAsync(topic, null, cancellationToken);
        }

        foreach (var message in snapshot.Messages)
        {
            await writer.MessageAsync(message, earlier: true, cancellationToken);
        }

        room.Start(snapshot);

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
            room.Members.Rename(change.OldNickname, change.NewNickname);
        }

        if (IsMe(change.OldNickname))
        {
            Nickname = change.NewNickname;
            await writer.SystemAsync($"You are now known as {change.NewNickname}", null, cancellationToken);
            return;
        }

        await writer.SystemAsync($"{change.OldNickname} is now known as {change.NewNickname}", null, cancellationToken);
    }

    private async Task ShowAsync(IReadOnlyList<ChatMessage> messages, CancellationToken cancellationToken)
    {
        foreach (var message in messages)
        {
            await writer.MessageAsync(message, earlier: false, cancellationToken);
        }
    }

    /// <summary>A page the gap fill fetched goes through the queue, in its turn among the hub's events.</summary>
    private async ValueTask<int> OfferFetchedAsync(DoorRoomOrder room, IReadOnlyList<ChatMessage> page)
    {
        var done = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        await _items.Writer.WriteAsync(new Fetched(room, page, done), _closing.Token);
        return await done.Task.WaitAsync(_closing.Token);
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

    private abstract record Item;

    private sealed record Received(ChatMessage Message) : Item;

    /// <summary>A page the gap fill fetched for <paramref name="Room"/>; <paramref name="Done"/> gets how many of its messages were new.</summary>
    private sealed record Fetched(DoorRoomOrder Room, IReadOnlyList<ChatMessage> Page, TaskCompletionSource<int> Done) : Item;

    private sealed record Direct(DirectMessage Message) : Item;

    private sealed record Members(RoomMembersChanged Change) : Item;

    private sealed record Renamed(NicknameChange Change) : Item;

    private sealed record Changed(RoomEvent Change) : Item;

    private sealed record Invitation(RoomInvitation Invited) : Item;

    private sealed record Joined(RoomSnapshot Snapshot) : Item;

    private sealed record Earlier(string Room, IReadOnlyList<ChatMessage> Messages) : Item;

    private sealed record Left(string Room, string? Text, string? Kind) : Item;

    private sealed record Line(string Text, string? Kind, bool Error) : Item;
}
