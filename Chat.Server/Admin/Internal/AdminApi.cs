using Chat.Server.Rooms;

namespace Chat.Server.Admin.Internal;

/// <summary>The handlers of <c>/admin/api</c>; the admin policy and the same-origin filter have already let the caller in.</summary>
internal static class AdminApi
{
    // GET /admin/api/overview
    public static async Task<IResult> GetOverviewAsync(
        ThisNode node, ClusterNodes cluster, IRoomRegistry rooms, TrafficRecorder traffic, RecentActivity activity, TimeProvider time, CancellationToken cancellationToken)
    {
        var health = await node.CheckHealthAsync(cancellationToken);
        var nodes = await cluster.ListAsync(node.Stats(health.Status), cancellationToken);
        var overview = new AdminOverview(
            node.Id,
            time.GetUtcNow(),
            nodes,
            await rooms.ListRoomsAsync(cancellationToken),
            traffic.Ring.Read(time.GetUtcNow()),
            traffic.Rejections,
            HealthView.Of(health),
            activity.Latest());
        return TypedResults.Ok(overview);
    }

    // POST /admin/api/rooms/{room}/close
    public static async Task<IResult> CloseRoomAsync(
        string room, HttpContext context, AdminCommandChannel commands, ThisNode node, ILogger<AdminCommandChannel> logger, CancellationToken cancellationToken)
    {
        if (!RoomName.TryNormalize(room, out var name))
        {
            return TypedResults.BadRequest(new { error = RoomName.Rule });
        }

        var caller = CallerOf(context);
        var outcome = await commands.RunAsync(new AdminCommand(AdminCommand.CloseRoom, name, caller, node.Id), cancellationToken);
        logger.RoomClosed(caller, name, outcome.ConnectionsHere);
        return TypedResults.Ok(new { room = name, outcome.ConnectionsHere, outcome.OtherNodesTold });
    }

    // POST /admin/api/users/{nickname}/disconnect
    public static async Task<IResult> DisconnectUserAsync(
        string nickname, HttpContext context, IRoomRegistry rooms, AdminCommandChannel commands, ThisNode node, ILogger<AdminCommandChannel> logger, CancellationToken cancellationToken)
    {
        if (!Nickname.TryNormalize(nickname, out var name) || await rooms.FindUserAsync(name, cancellationToken) is not { } user)
        {
            return TypedResults.NotFound(new { error = $"Nobody called {nickname} is connected." });
        }

        var caller = CallerOf(context);
        var outcome = await commands.RunAsync(new AdminCommand(AdminCommand.DisconnectUser, user.Nickname, caller, node.Id), cancellationToken);
        logger.UserDisconnected(caller, user.Nickname, outcome.ConnectionsHere);
        return TypedResults.Ok(new { nickname = user.Nickname, outcome.ConnectionsHere, outcome.OtherNodesTold });
    }

    /// <summary>Who asked, for the log: the signed-in user once accounts exist, until then the caller's address.</summary>
    private static string CallerOf(HttpContext context) =>
        context.User.Identity is { IsAuthenticated: true, Name: { } name } ? name : context.Connection.RemoteIpAddress?.ToString() ?? "unknown";
}
