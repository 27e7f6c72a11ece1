namespace Chat.Server.Transport;

internal static partial class TransportLog
{
    [LoggerMessage(EventId = 302, Level = LogLevel.Warning, Message = "[ORIGIN] Refused a hub connection from {Origin}")]
    public static partial void ForeignOrigin(this ILogger logger, string origin);

    [LoggerMessage(EventId = 303, Level = LogLevel.Information, Message = "[STALLED] {ConnectionId} has not read for {Seconds:0.#} s; closing it")]
    public static partial void StalledClient(this ILogger logger, string connectionId, double seconds);

    [LoggerMessage(EventId = 304, Level = LogLevel.Information, Message = "[SILENT] {ConnectionId} sent nothing for {Seconds} s; closing it")]
    public static partial void SilentClient(this ILogger logger, string connectionId, double seconds);

    [LoggerMessage(EventId = 305, Level = LogLevel.Warning, Message = "[MEMORY] Kestrel's socket buffers come from {Factory}, not the chat's trimming pools, so buffers left by a burst stay resident; register Kestrel before AddChatTransport")]
    public static partial void ForeignMemoryPool(this ILogger logger, string factory);
}
