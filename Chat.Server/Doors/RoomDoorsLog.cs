namespace Chat.Server.Doors;

internal static partial class RoomDoorsLog
{
    [LoggerMessage(EventId = 1101, Level = LogLevel.Warning, Message = "[FLOOD] A {Door} door client sent too many messages; closing it")]
    public static partial void DoorFlood(this ILogger logger, string door);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Information, Message = "[STALLED] A {Door} door client has not read for {Seconds} s; closing it")]
    public static partial void DoorStalled(this ILogger logger, string door, int seconds);

    [LoggerMessage(EventId = 1103, Level = LogLevel.Debug, Message = "[DOOR] A {Door} door refused a message: {Reason}")]
    public static partial void FrameRefused(this ILogger logger, string door, string reason);

    [LoggerMessage(EventId = 1104, Level = LogLevel.Debug, Message = "[DOOR] A {Door} door connection ended: {Reason}")]
    public static partial void DoorConnectionBroken(this ILogger logger, string door, string reason);

    [LoggerMessage(EventId = 1105, Level = LogLevel.Information, Message = "[DOOR] A {Door} door connection was refused: {Reason}")]
    public static partial void DoorRefused(this ILogger logger, string door, string reason);
}
