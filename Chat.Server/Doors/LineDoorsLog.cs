namespace Chat.Server.Doors;

/// <summary>The <c>/ws</c> and TCP doors' log entries; never a message body, a key or a whole line.</summary>
internal static partial class LineDoorsLog
{
    [LoggerMessage(EventId = 700, Level = LogLevel.Information, Message = "[DOOR] {Door} refused a connection: {Reason}")]
    public static partial void Refused(this ILogger logger, string door, string reason);

    [LoggerMessage(EventId = 702, Level = LogLevel.Information, Message = "[DOOR] {Door} closed an idle connection from {Remote}")]
    public static partial void Idle(this ILogger logger, string door, string? remote);

    [LoggerMessage(EventId = 703, Level = LogLevel.Information, Message = "[DOOR] tcp listens on {Address}")]
    public static partial void TcpListening(this ILogger logger, string address);

    [LoggerMessage(EventId = 704, Level = LogLevel.Information, Message = "[DOOR] {Door} dropped {Remote}: it took nothing for {Seconds} s")]
    public static partial void Stalled(this ILogger logger, string door, string? remote, int seconds);
}
