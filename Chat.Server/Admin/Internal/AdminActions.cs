using Chat.Protocol;
using Chat.Server.Accounts.Moderation;
using Chat.Server.Hubs;
using Chat.Server.Rooms;
using Chat.Server.Transport;
using Microsoft.AspNetCore.SignalR;

namespace Chat.Server.Admin.Internal;

/// <summary>
/// What an admin command does to this node's own connections. Closing a room takes each member out
/// through <see cref="RoomDeparture"/>, the hub's own leave, then tells it with <c>RoomClosed</c>; an
/// operator's change to a room is read back, shown to the room's members here, and a kick or ban then
/// takes the user's connections here out the same way;
/// disconnecting a user sends it a notice, then closes its connections (its client reconnects by its
/// own rules: this is not a ban).
/// </summary>
internal sealed class AdminActions(
    IRoomRegistry rooms,
    RoomDeparture departure,
    RoomSettingsCache settings,
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
        AdminCommand.RoomChanged => RoomChangedAsync(command.Target, command.Subject, command.Change, cancellationToken),
        _ => Task.FromResult(0),
    };

    private async Task<int> CloseRoomAsync(string room, CancellationToken cancellationToken)
    {
        var closure = new RoomClosure(room, $"An administrator closed #{room}.");
        var closed = 0;
        foreach (var member in departure.MembersHere(room))
        {
            if (await departure.LeaveAsync(member.ConnectionId, member.UserId, room, cancellationToken))
            {
                await hub.Clients.Client(member.ConnectionId).RoomClosed(closure);
                closed++;
            }
        }

        return closed;
    }

    /// <summary>
    /// An operator changed a room: this node reads its settings again, shows the change to the room's
    /// members here, then (a kick or ban) takes the user's connections here out through the hub's own
    /// leave. In this order a member never sees a change their node does not yet apply, and the user
    /// leaving sees why first.
    /// </summary>
    private async Task<int> RoomChangedAsync(string room, string? userId, RoomEvent? change, CancellationToken cancellationToken)
    {
        await settings.ReloadAsync(room, cancellationToken);
        var members = departure.MembersHere(room);
        if (change is not null && members.Count > 0)
        {
            // The settings the members see are the ones this node has just read back and applies.
            await hub.Clients.Clients([.. members.Select(member => member.ConnectionId)]).RoomChanged(change with { Info = settings.InfoOf(room) });
        }

        var removed = 0;
        foreach (var member in members.Where(member => member.UserId == userId))
        {
            if (await departure.LeaveAsync(member.ConnectionId, member.UserId, room, cancellationToken))
            {
                removed++;
            }
        }

        return removed;
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
