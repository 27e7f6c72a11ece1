namespace Chat.Server.Backplane;

internal static partial class BackplaneLog
{
    [LoggerMessage(EventId = 412, Level = LogLevel.Debug, Message = "[BACKPLANE] A send to users on other nodes did not go out: {Reason}")]
    public static partial void PublishFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 413, Level = LogLevel.Information, Message = "[BACKPLANE] Backplane {Generation} is in use; {Connections} connections of this node registered with it")]
    public static partial void BackplaneBuilt(ILogger logger, int generation, int connections);

    [LoggerMessage(EventId = 414, Level = LogLevel.Debug, Message = "[BACKPLANE] A call on backplane {Generation} failed; a new one will be built: {Reason}")]
    public static partial void BackplaneCallFailed(ILogger logger, int generation, string reason);

    [LoggerMessage(EventId = 415, Level = LogLevel.Warning, Message = "[BACKPLANE] Building a new backplane failed")]
    public static partial void BackplaneBuildFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 416, Level = LogLevel.Debug, Message = "[BACKPLANE] A send did not complete")]
    public static partial void BackgroundSendFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 417, Level = LogLevel.Debug, Message = "[BACKPLANE] A group change for a connection on another node was not acknowledged: {Reason}")]
    public static partial void GroupCommandUnanswered(ILogger logger, string reason);
}
