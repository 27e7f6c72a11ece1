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
    /// Takes this node's connections in <paramref name="room"/> out of it: all of them, or only those of
    /// <paramref name="userId"/>. A cluster runs this on every node (each acts on its own connections).
    /// <paramref name="before"/> gets every member connection here while all are still in the room (an
    /// event the ones leaving must see too); <paramref name="after"/> gets each one that left. Returns how
    /// many left.
    /// </summary>
    public async Task<int> RemoveHereAsync(
        string room,
        string? userId,
        Func<IReadOnlyList<string>, Task>? before = null,
        Func<string, Task>? after = null,
        CancellationToken cancellationToken = default)
    {
        var members = connections.ConnectionIds
            .Select(rooms.GetConnection)
            .Where(view => view is not null && view.Rooms.Contains(room))
            .Select(view => view!)
            .ToList();
        if (before is not null && members.Count > 0)
        {
            await before([.. members.Select(view => view.ConnectionId)]);
        }

        var removed = 0;
        foreach (var view in members.Where(view => userId is null || view.UserId == userId))
        {
            if (await LeaveAsync(view.ConnectionId, view.UserId, room, cancellationToken))
            {
                removed++;
                if (after is not null)
                {
                    await after(view.ConnectionId);
                }
            }
        }

        return removed;
    }
}
