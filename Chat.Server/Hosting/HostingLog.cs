namespace Chat.Server.Hosting;

internal static partial class HostingLog
{
    [LoggerMessage(EventId = 300, Level = LogLevel.Information, Message = "[SHUTDOWN] Telling {Count} connections the server is restarting and closing them")]
    public static partial void Draining(this ILogger logger, int count);

    [LoggerMessage(EventId = 301, Level = LogLevel.Warning, Message = "[SHUTDOWN] The restart notice did not reach every client in time")]
    public static partial void NoticeTimedOut(this ILogger logger);
}
