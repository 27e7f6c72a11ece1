using System.Globalization;
using System.Net.WebSockets;
using Chat.Protocol;
using Chat.Server.Rooms;
using Microsoft.AspNetCore.SignalR.Client;

namespace Chat.Server.Doors.Internal;

/// <summary>
/// The hub's events for a room door's one room, in its dialect and in order. Follows the client rules
/// of docs/protocol.md: events that arrive before the <c>Join</c> snapshot are held and replayed on top
/// of it; a message at or below the last <c>seq</c> shown is a repeat; a join of somebody listed or a
/// leave of somebody not listed shows nothing. Each handler awaits its write, so a client that stops
/// reading stops the hub's writes to this connection and the guards close it.
/// </summary>
internal sealed class RoomFeed(string room, string clientId, IRoomDialect dialect, DoorSocket socket, TimeProvider time)
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private readonly Dictionary<string, string> _members = [];
    private readonly string _ownSends = clientId + "-";
    private List<Func<Task>>? _held = [];
    private long _last;
    private long _sent;
    private string _nickname = string.Empty;

    /// <summary>The last notice's kind (<c>restarting</c> while the server stops), for the close that follows it.</summary>
    public string? LastNoticeKind { get; private set; }

    /// <summary>A fresh client message id for this connection's next send; its prefix marks the echo as this connection's own.</summary>
    public string NextClientMessageId() => _ownSends + Interlocked.Increment(ref _sent).ToString(CultureInfo.InvariantCulture);

    /// <summary>Registers the handlers on the hub connection before it starts.</summary>
    public void Listen(HubConnection hub)
    {
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
            foreach (var member in snapshot.Members)
            {
                _members[Nickname.Key(member)] = member;
            }

            await socket.SendAsync(dialect.Welcome(room, nickname, clientId, time.GetUtcNow()));
            foreach (var message in snapshot.Messages)
            {
                await socket.SendAsync(dialect.Message(message, history: true, OwnId(message)));
            }

            _last = snapshot.LastSeq;
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

    private Task ShowMessageAsync(ChatMessage message)
    {
        if (message.Seq <= _last)
        {
            return Task.CompletedTask;
        }

        _last = message.Seq;
        return socket.SendAsync(dialect.Message(message, history: false, OwnId(message)));
    }

    private async Task ApplyAsync(RoomMembersChanged change)
    {
        foreach (var member in change.Changes)
        {
            var key = Nickname.Key(member.Nickname);
            if (member.Joined && _members.TryAdd(key, member.Nickname))
            {
                await socket.SendAsync(dialect.Joined(room, member.Nickname, time.GetUtcNow()));
            }
            else if (!member.Joined && _members.Remove(key))
            {
                await socket.SendAsync(dialect.Left(room, member.Nickname, time.GetUtcNow()));
            }
        }
    }

    private async Task RenameAsync(NicknameChange change)
    {
        if (!_members.Remove(Nickname.Key(change.OldNickname)))
        {
            return;
        }

        _members[Nickname.Key(change.NewNickname)] = change.NewNickname;
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
