namespace Chat.Server.Registry;

internal static partial class RegistryLog
{
    [LoggerMessage(EventId = 400, Level = LogLevel.Information, Message = "[CLUSTER] Connecting to Redis at {EndPoints} as node {NodeId}")]
    public static partial void Connecting(ILogger logger, string endPoints, string nodeId);

    [LoggerMessage(EventId = 401, Level = LogLevel.Information, Message = "[CLUSTER] Redis answers; node {NodeId} is part of the cluster")]
    public static partial void Available(ILogger logger, string nodeId);

    [LoggerMessage(EventId = 402, Level = LogLevel.Warning, Message = "[CLUSTER] Redis does not answer; serving this node's clients only until it is back")]
    public static partial void Unavailable(ILogger logger);

    [LoggerMessage(EventId = 403, Level = LogLevel.Warning, Message = "[CLUSTER] Redis {ConnectionType} connection failed: {FailureType}")]
    public static partial void ConnectionFailed(ILogger logger, string connectionType, string failureType);

    [LoggerMessage(EventId = 404, Level = LogLevel.Information, Message = "[CLUSTER] Redis {ConnectionType} connection restored")]
    public static partial void ConnectionRestored(ILogger logger, string connectionType);

    [LoggerMessage(EventId = 405, Level = LogLevel.Error, Message = "[CLUSTER] A Redis connection event handler failed")]
    public static partial void HandlerFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 411, Level = LogLevel.Debug, Message = "[BACKPLANE] Publishing to {Channel} failed: {Reason}")]
    public static partial void PublishFailed(ILogger logger, string channel, string reason);

    [LoggerMessage(EventId = 418, Level = LogLevel.Warning, Message = "[CLUSTER] A message from {Channel} could not be handled")]
    public static partial void ReceiveFailed(ILogger logger, string channel, Exception exception);

    [LoggerMessage(EventId = 420, Level = LogLevel.Debug, Message = "[REGISTRY] Redis unavailable, answering from this node's view: {Reason}")]
    public static partial void RegistryFallback(ILogger logger, string reason);

    [LoggerMessage(EventId = 421, Level = LogLevel.Information, Message = "[REGISTRY] Registered this node's {Connections} connections in Redis again ({Changes} presence changes)")]
    public static partial void Resynced(ILogger logger, int connections, int changes);

    [LoggerMessage(EventId = 422, Level = LogLevel.Warning, Message = "[REGISTRY] Nickname {Nickname} of {ConnectionId} was taken elsewhere while Redis was away; it stays unique on this node only")]
    public static partial void NicknameConflict(ILogger logger, string nickname, string connectionId);

    [LoggerMessage(EventId = 423, Level = LogLevel.Information, Message = "[REGISTRY] Node {NodeId} stopped beating; removed its users from {Count} rooms")]
    public static partial void NodeSwept(ILogger logger, string nodeId, int count);

    [LoggerMessage(EventId = 430, Level = LogLevel.Information, Message = "[CLUSTER] Node {NodeId} left the cluster")]
    public static partial void LeftCluster(ILogger logger, string nodeId);

    [LoggerMessage(EventId = 431, Level = LogLevel.Warning, Message = "[CLUSTER] Could not say goodbye ({Reason}); the other nodes will sweep this one")]
    public static partial void GoodbyeFailed(ILogger logger, string reason);

    [LoggerMessage(EventId = 432, Level = LogLevel.Debug, Message = "[CLUSTER] Heartbeat deferred: {Reason}")]
    public static partial void MembershipDeferred(ILogger logger, string reason);

    [LoggerMessage(EventId = 433, Level = LogLevel.Error, Message = "[CLUSTER] Heartbeat, resync or sweep failed")]
    public static partial void MembershipFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 434, Level = LogLevel.Warning, Message = "[CLUSTER] Redis is configured but history is not in PostgreSQL: each node numbers and stores its own messages. Set Chat:History:Provider=Postgres for a cluster")]
    public static partial void HistoryNotShared(ILogger logger);
}
