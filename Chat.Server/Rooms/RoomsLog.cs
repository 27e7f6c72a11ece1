namespace Chat.Server.Rooms;

internal static partial class RoomsLog
{
    [LoggerMessage(EventId = 200, Level = LogLevel.Warning, Message = "[LOBBY] Sending the room list to lobby watchers failed")]
    public static partial void LobbyUpdateFailed(this ILogger logger, Exception exception);
}
