using System.Globalization;
using System.Net.WebSockets;
using Chat.Protocol;
using Chat.Server.Rooms;
using Microsoft.AspNetCore.SignalR.Client;

namespace Chat.Server.Doors.Internal;

/// <summary>
/// The hub's events for a room door's one room, in its dialect and in order. Follows the client rules
/// of docs/protocol.md with the .NET client's pieces (<see cref="DoorRoomOrder"/>): events that arrive
/// before the <c>Join</c> snapshot are held and replayed on top of it; a repeat is dropped and a message
/// ahead of a gap waits, the gap fetched with <c>MissedSince</c> if it does not close by itself; a join
/// of somebody listed or a leave of somebody not listed shows nothing. Each handler awaits its write;
/// a client that stops reading is dropped by <see cref="DoorSocket"/>'s stall timeout on that write.
/// </summary>
internal sealed class RoomFeed(string room, string clientId, IRoomDialect dialect, DoorSocket socket, TimeProvider time)
{
    // One event at a time, in arrival order: the hub's handlers and the pages the gap fill fetched.
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly DoorRoomOrder _order = new(room);
    private readonly CancellationTokenSource _closing = new();
    private readonly string _ownSends = clientId + "-";
    private List<Func<Task>>? _held = [];
    private HubConnection? _hub;
    private long _sent;
    private string _nickname = string.Empty;

    /// <summary>The last notice's kind (<c>restarting</c> while the server stops), for the close that follows it.</summary>
    public string? LastNoticeKind { get; private set; }

    /// <summary>A fresh client message id for this connection's next send; its prefix marks the echo as this connection's own.</summary>
    public string NextClientMessageId() => _ownSends + Interlocked.Increment(ref _sent).ToString(CultureInfo.InvariantCulture);

    /// <summary>Registers the handlers on the hub connection before it starts.</summary>
    public void Listen(HubConnection hub)
    {
        _hub = hub;
        hub.Closed += _ =>
        {
            _closing.Cancel();
            return Task.CompletedTask;
        };
        hub.On<ChatMessage>(nameof(IChatClient.ReceiveMessage), message => message.Room == room ? InOrderAsync(() => ShowMessageAsync(message)) : Task.CompletedTask);
        hub.On<RoomMembersChanged>(nameof(IChatClient.MembersChanged), change => change.Room == room ? InOrderAsync(() => ApplyAsync(change)) : Task.CompletedTask);
        hub.On<NicknameChange>(nameof(IChatClient.NicknameChanged), change => InOrderAsync(() => RenameAsync(change)));
        hub.On<RoomPresence>(nameof(IChatClient.UserTyping), presence => presence.Room == room ? ShowTypingAsync(presence) : Task.CompletedTask);
        hub.On<ServerNotice>(nameof(IChatClient.Notice), notice =>
        {
            LastNoticeKind = notice.Kind;
            return socket.SendAsync(dialect.System(notice.Text, notice.Kind, time.GetUtcNow()));
        });
        hub.On<RoomClosure>(nameof(IChatClient.RoomClosed), async closure =>
        {
            if (closure.Room == room)
            {
                await socket.SendAsync(dialect.System(closure.Text, "room_closed", time.GetUtcNow()));
                await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "The room was closed.");
            }
        });
    }

    /// <summary>Shows the welcome and the snapshot's history, then the events held while the join was on its way.</summary>
    public async Task StartAsync(RoomSnapshot snapshot, string nickname)
    {
        await _gate.WaitAsync();
        try
        {
            _nickname = nickname;
            await socket.SendAsync(dialect.Welcome(room, nickname, clientId, time.GetUtcNow()));
            foreach (var message in snapshot.Messages)
            {
                await socket.SendAsync(dialect.Message(message, history: true, OwnId(message)));
            }

            await ShowAsync(_order.Start(snapshot));
            foreach (var held in _held!)
            {
                await held();
            }

            _held = null;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task InOrderAsync(Func<Task> show)
    {
        await _gate.WaitAsync();
        try
        {
            if (_held is not null)
            {
                _held.Add(show);
                return;
            }

            await show();
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task ShowMessageAsync(ChatMessage message)
    {
        await ShowAsync(_order.Offer(message));
        if (_order.Sequence.HasGap)
        {
            _ = _order.FillGapAsync(MissedSinceAsync, OfferFetchedAsync, time, _closing.Token);
        }
    }

    private async Task ShowAsync(IReadOnlyList<ChatMessage> messages)
    {
        foreach (var message in messages)
        {
            await socket.SendAsync(dialect.Message(message, history: false, OwnId(message)));
        }
    }

    private Task<IReadOnlyList<ChatMessage>> MissedSinceAsync(string room, long afterSeq, CancellationToken cancellationToken) =>
        _hub!.InvokeAsync<IReadOnlyList<ChatMessage>>(nameof(IChatHub.MissedSince), room, afterSeq, cancellationToken);

    /// <summary>A page the gap fill fetched, offered in its turn among the hub's events.</summary>
    private async ValueTask<int> OfferFetchedAsync(IReadOnlyList<ChatMessage> page)
    {
        await _gate.WaitAsync(_closing.Token);
        try
        {
            var fresh = _order.OfferFromStore(page, out var delivered);
            await ShowAsync(delivered);
            return fresh;
        }
        finally
        {
            _gate.Release();
        }
    }

    private async Task ApplyAsync(RoomMembersChanged change)
    {
        foreach (var member in _order.Members.Apply(change.Changes))
        {
            await socket.SendAsync(member.Joined
                ? dialect.Joined(room, member.Nickname, time.GetUtcNow())
                : dialect.Left(room, member.Nickname, time.GetUtcNow()));
        }
    }

    private async Task RenameAsync(NicknameChange change)
    {
        if (!_order.Members.Rename(change.OldNickname, change.NewNickname))
        {
            return;
        }

        if (Nickname.Key(change.OldNickname) == Nickname.Key(_nickname))
        {
            _nickname = change.NewNickname;
        }

        await socket.SendAsync(dialect.Renamed(room, change, time.GetUtcNow()));
    }

    private Task ShowTypingAsync(RoomPresence presence) =>
        dialect.Typing(presence, time.GetUtcNow()) is { } line ? socket.SendAsync(line) : Task.CompletedTask;

    private string? OwnId(ChatMessage message) =>
        message.ClientMessageId?.StartsWith(_ownSends, StringComparison.Ordinal) == true ? clientId : null;
}
