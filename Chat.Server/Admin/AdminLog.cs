namespace Chat.Server.Admin;

internal static partial class AdminLog
{
    [LoggerMessage(EventId = 500, Level = LogLevel.Information, Message = "[ADMIN] {Caller} closed room {Room}; {Connections} connections here left it")]
    public static partial void RoomClosed(this ILogger logger, string caller, string room, int connections);

    [LoggerMessage(EventId = 501, Level = LogLevel.Information, Message = "[ADMIN] {Caller} disconnected {Nickname}; {Connections} connections here closed")]
    public static partial void UserDisconnected(this ILogger logger, string caller, string nickname, int connections);

    [LoggerMessage(EventId = 502, Level = LogLevel.Information, Message = "[ADMIN] Node {Node} relayed {Caller}'s {Action} of {Target}; {Connections} connections here")]
    public static partial void CommandRelayed(this ILogger logger, string node, string caller, string action, string target, int connections);

    [LoggerMessage(EventId = 503, Level = LogLevel.Warning, Message = "[ADMIN] The other nodes were not told to {Action} {Target}: Redis is unreachable")]
    public static partial void CommandNotPublished(this ILogger logger, string action, string target);

    [LoggerMessage(EventId = 504, Level = LogLevel.Warning, Message = "[ADMIN] Refused an admin request from another site ({Origin})")]
    public static partial void ForeignOrigin(this ILogger logger, string origin);

    [LoggerMessage(EventId = 505, Level = LogLevel.Error, Message = "[ADMIN] A command from another node failed")]
    public static partial void CommandFailed(this ILogger logger, Exception exception);

    [LoggerMessage(EventId = 506, Level = LogLevel.Warning, Message = "[ADMIN] This node's stats did not reach Redis: {Reason}")]
    public static partial void StatsNotPublished(this ILogger logger, string reason);

    [LoggerMessage(EventId = 507, Level = LogLevel.Warning, Message = "[ADMIN] The admin page is missing from {Folder}; build Chat.Server with Node.js and npm installed to include it")]
    public static partial void PageMissing(this ILogger logger, string folder);
}
