namespace Chat.Server.Hubs;

internal static partial class ChatHubLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Information, Message = "[CONNECT] {ConnectionId} as {Nickname}")]
    public static partial void Connected(this ILogger logger, string connectionId, string nickname);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "[REFUSED] {ConnectionId}: {Reason}")]
    public static partial void ConnectionRefused(this ILogger logger, string connectionId, string reason);

    [LoggerMessage(EventId = 3, Level = LogLevel.Information, Message = "[DISCONNECT] {ConnectionId} {Nickname} left {RoomCount} rooms ({Reason})")]
    public static partial void Disconnected(this ILogger logger, string connectionId, string nickname, int roomCount, string? reason);

    [LoggerMessage(EventId = 4, Level = LogLevel.Information, Message = "[JOIN] {ConnectionId} {Nickname} joined {Room}")]
    public static partial void Joined(this ILogger logger, string connectionId, string nickname, string room);

    [LoggerMessage(EventId = 5, Level = LogLevel.Information, Message = "[LEAVE] {ConnectionId} {Nickname} left {Room}")]
    public static partial void Left(this ILogger logger, string connectionId, string nickname, string room);

    [LoggerMessage(EventId = 6, Level = LogLevel.Information, Message = "[NICK] {ConnectionId} {OldNickname} is now {NewNickname}")]
    public static partial void Renamed(this ILogger logger, string connectionId, string oldNickname, string newNickname);

    [LoggerMessage(EventId = 7, Level = LogLevel.Debug, Message = "[MESSAGE] {ConnectionId} {Nickname} in {Room} #{Seq}: {Text}")]
    public static partial void MessageSent(this ILogger logger, string connectionId, string nickname, string room, long seq, string text);

    [LoggerMessage(EventId = 8, Level = LogLevel.Debug, Message = "[DIRECT] {ConnectionId} {Nickname} to {Target}: {Text}")]
    public static partial void DirectSent(this ILogger logger, string connectionId, string nickname, string target, string text);

    [LoggerMessage(EventId = 9, Level = LogLevel.Warning, Message = "[FLOOD] {ConnectionId} kept calling {Method} too fast; closing it")]
    public static partial void Flooding(this ILogger logger, string connectionId, string method);
}
