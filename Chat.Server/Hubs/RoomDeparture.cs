using Chat.Protocol;
using Chat.Server.History;
using Chat.Server.Rooms;
using Microsoft.AspNetCore.SignalR;

namespace Chat.Server.Hubs;

/// <summary>
/// Takes one connection out of one room, the one way: the registry, the room's group, typing, the
/// members' presence event and the log's cache of an emptied room. The hub's <c>Leave</c> and the
/// admin screen's "close room" both go through it, so the registry, presence and history agree
/// whoever asked.
/// </summary>
public sealed class RoomDeparture(
    IRoomRegistry rooms,
    IHubContext<ChatHub, IChatClient> hub,
    TypingThrottle typing,
    PresenceAnnouncer presence,
    IMessageLog history,
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
}
