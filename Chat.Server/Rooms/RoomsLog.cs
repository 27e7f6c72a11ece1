namespace Chat.Server.Rooms;

internal static partial class RoomsLog
{
    [LoggerMessage(EventId = 200, Level = LogLevel.Warning, Message = "[LOBBY] Sending the room list to lobby watchers failed")]
    public static partial void LobbyUpdateFailed(this ILogger logger, Exception exception);

    [LoggerMessage(EventId = 201, Level = LogLevel.Warning, Message = "[PRESENCE] Telling the members of {Room} who joined and left failed")]
    public static partial void PresenceUpdateFailed(this ILogger logger, string room, Exception exception);
}
