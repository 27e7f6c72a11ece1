using Chat.Protocol;
using Chat.Server.Hubs;
using Chat.Server.Rooms;
using Chat.Server.Transport;
using Microsoft.AspNetCore.SignalR;

namespace Chat.Server.Admin.Internal;

/// <summary>
/// What an admin command does to this node's own connections. Closing a room takes each member out
/// through <see cref="RoomDeparture"/>, the hub's own leave, then tells it with <c>RoomClosed</c>; an
/// operator's kick or ban shows the room's members here the <c>RoomChanged</c>, then takes the user's
/// connections here out the same way;
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
        AdminCommand.RemoveFromRoom => RemoveFromRoomAsync(command.Target, command.Subject, command.Change, cancellationToken),
        _ => Task.FromResult(0),
    };

    private Task<int> CloseRoomAsync(string room, CancellationToken cancellationToken)
    {
        var closure = new RoomClosure(room, $"An administrator closed #{room}.");
        return departure.RemoveHereAsync(room, userId: null, after: connectionId => hub.Clients.Client(connectionId).RoomClosed(closure), cancellationToken: cancellationToken);
    }

    /// <summary>An operator's kick or ban: the room's members here see it (the user leaving too), then the user's connections here leave.</summary>
    private Task<int> RemoveFromRoomAsync(string room, string? userId, RoomEvent? change, CancellationToken cancellationToken) =>
        userId is null || change is null
            ? Task.FromResult(0)
            : departure.RemoveHereAsync(room, userId, before: members => hub.Clients.Clients(members).RoomChanged(change), cancellationToken: cancellationToken);

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
