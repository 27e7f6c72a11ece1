using Chat.Protocol;
using Chat.Server.Admin.Internal;
using Chat.Server.Registry;

namespace Chat.Server.Accounts.Moderation.Internal;

/// <summary>
/// Carries a room's change to every node (this one first) through the admin screen's command channel, as
/// "close room" reaches them: each reads the room's registration again, shows the <see cref="RoomEvent"/>
/// to the room's members there, then takes the connections there of the removed user out of the room. The
/// channel logs it when the other nodes could not be told.
/// </summary>
internal sealed class RoomNodes(AdminCommandChannel cluster, RedisConnection? redis)
{
    private readonly string _node = redis?.NodeId ?? Environment.MachineName;

    public Task TellAsync(string room, RoomActor actor, RoomEvent? change, string? removing, CancellationToken cancellationToken) =>
        cluster.RunAsync(new AdminCommand(AdminCommand.RoomChanged, room, actor.Nickname, _node, removing, change), cancellationToken);
}
