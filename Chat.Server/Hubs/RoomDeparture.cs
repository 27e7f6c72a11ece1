using Chat.Protocol;
using Chat.Server.History;
using Chat.Server.Rooms;
using Chat.Server.Transport;
using Microsoft.AspNetCore.SignalR;

namespace Chat.Server.Hubs;

/// <summary>
/// Takes one connection out of one room, the one way: the registry, the room's group, typing, the
/// members' presence event and the log's cache of an emptied room. The hub's <c>Leave</c>, the admin
/// screen's "close room" and an operator's kick or ban all go through it, so the registry, presence
/// and history agree whoever asked.
/// </summary>
public sealed class RoomDeparture(
    IRoomRegistry rooms,
    IHubContext<ChatHub, IChatClient> hub,
    TypingThrottle typing,
    PresenceAnnouncer presence,
    IMessageLog history,
    ConnectionGuard connections,
    ILogger<ChatHub> logger)
{
    /// <summary>Leaves <paramref name="room"/>; false when the connection was not in it.</summary>
    public async Task<bool> LeaveAsync(string connectionId, string userId, string room, CancellationToken cancellationToken = default)
    {
        var result = await rooms.LeaveAsync(connectionId, room, cancellationToken);
        await hub.Groups.RemoveFromGroupAsync(connectionId, ChatHub.GroupOf(room), cancellationToken);
        if (!result.WasMember)
        {
            return false;
        }

        if (result.UserLeft)
        {
            typing.Forget(userId, room);
            logger.Left(connectionId, result.Nickname, room);
            presence.Announce(room, result.Nickname, joined: false);
        }

        if (result.RoomRemoved)
        {
            await history.EvictAsync(room, cancellationToken);
        }

        return true;
    }

    /// <summary>
    /// This node's connections in <paramref name="room"/>. What must reach every member of a room on
    /// every node and then act on some of them (close a room, kick or ban) runs on each node with its own
    /// members: a group send would race the removal that follows it.
    /// </summary>
    public IReadOnlyList<ConnectionView> MembersHere(string room) =>
        [.. connections.ConnectionIds
            .Select(rooms.GetConnection)
            .OfType<ConnectionView>()
            .Where(view => view.Rooms.Contains(room))];
}
