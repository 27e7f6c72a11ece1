namespace Chat.Server.Hosting;

internal static partial class HostingLog
{
    [LoggerMessage(EventId = 300, Level = LogLevel.Information, Message = "[SHUTDOWN] Telling {Count} connections the server is restarting and closing them")]
    public static partial void Draining(this ILogger logger, int count);

    [LoggerMessage(EventId = 301, Level = LogLevel.Warning, Message = "[SHUTDOWN] The restart notice did not reach every client in time")]
    public static partial void NoticeTimedOut(this ILogger logger);

    [LoggerMessage(EventId = 302, Level = LogLevel.Warning, Message = "[ORIGIN] Refused a hub connection from {Origin}")]
    public static partial void ForeignOrigin(this ILogger logger, string origin);

    [LoggerMessage(EventId = 303, Level = LogLevel.Information, Message = "[STALLED] {ConnectionId} has not read for {Seconds:0.#} s; closing it")]
    public static partial void StalledClient(this ILogger logger, string connectionId, double seconds);

    [LoggerMessage(EventId = 304, Level = LogLevel.Information, Message = "[SILENT] {ConnectionId} sent nothing for {Seconds} s; closing it")]
    public static partial void SilentClient(this ILogger logger, string connectionId, double seconds);

    [LoggerMessage(EventId = 305, Level = LogLevel.Warning, Message = "[MEMORY] Kestrel's socket buffers come from {Factory}, not the chat's trimming pools, so buffers left by a burst stay resident; register Kestrel before AddChatHub")]
    public static partial void ForeignMemoryPool(this ILogger logger, string factory);
}
