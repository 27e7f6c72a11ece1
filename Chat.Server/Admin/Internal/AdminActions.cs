using Chat.Protocol;
using Chat.Server.Hubs;
using Chat.Server.Rooms;
using Chat.Server.Transport;
using Microsoft.AspNetCore.SignalR;

namespace Chat.Server.Admin.Internal;

/// <summary>
/// What an admin command does to this node's own connections. Closing a room takes each member out
/// through <see cref="RoomDeparture"/>, the hub's own leave, then tells it with <c>RoomClosed</c>;
/// disconnecting a user sends it a notice, then closes its connections (its client reconnects by its
/// own rules: this is not a ban).
/// </summary>
internal sealed class AdminActions(
    IRoomRegistry rooms,
    RoomDeparture departure,
    ConnectionGuard connections,
    IHubContext<ChatHub, IChatClient> hub,
    TimeProvider time)
{
    public const string DisconnectedNotice = "disconnected";
    public const string DisconnectedReason = "Disconnected by an administrator.";

    // As on shutdown: the notice reaches the connection's pipe when the send completes, and closing at
    // once could discard it before the transport writes it.
    private static readonly TimeSpan NoticeGrace = TimeSpan.FromMilliseconds(300);

    /// <summary>Runs <paramref name="command"/> on this node's connections; returns how many it touched.</summary>
    public Task<int> RunAsync(AdminCommand command, CancellationToken cancellationToken = default) => command.Action switch
    {
        AdminCommand.CloseRoom => CloseRoomAsync(command.Target, cancellationToken),
        AdminCommand.DisconnectUser => DisconnectUserAsync(command.Target, cancellationToken),
        _ => Task.FromResult(0),
    };

    private async Task<int> CloseRoomAsync(string room, CancellationToken cancellationToken)
    {
        var closure = new RoomClosure(room, $"An administrator closed #{room}.");
        var closed = 0;
        foreach (var connectionId in connections.ConnectionIds)
        {
            if (rooms.GetConnection(connectionId) is { } view && view.Rooms.Contains(room)
                && await departure.LeaveAsync(connectionId, view.UserId, room, cancellationToken))
            {
                await hub.Clients.Client(connectionId).RoomClosed(closure);
                closed++;
            }
        }

        return closed;
    }

    private async Task<int> DisconnectUserAsync(string nickname, CancellationToken cancellationToken)
    {
        var key = Nickname.Key(nickname);
        var targets = connections.ConnectionIds
            .Where(connectionId => rooms.GetNickname(connectionId) is { } name && Nickname.Key(name) == key)
            .ToList();
        if (targets.Count == 0)
        {
            return 0;
        }

        await hub.Clients.Clients(targets).Notice(new ServerNotice(DisconnectedNotice, "An administrator disconnected you."));
        await Task.Delay(NoticeGrace, time, cancellationToken);
        return targets.Count(connectionId => connections.Abort(connectionId, DisconnectedReason));
    }
}
