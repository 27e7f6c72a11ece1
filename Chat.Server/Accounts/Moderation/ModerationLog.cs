namespace Chat.Server.Accounts.Moderation;

/// <summary>Room moderation's log lines. Topics, reasons and keys are what people typed: never above Debug.</summary>
internal static partial class ModerationLog
{
    [LoggerMessage(EventId = 1200, Level = LogLevel.Information, Message = "[ROOMS] {Count} room registrations loaded")]
    public static partial void Loaded(this ILogger logger, int count);

    [LoggerMessage(EventId = 1202, Level = LogLevel.Error, Message = "[ROOMS] Reading the registration of {Room} again failed")]
    public static partial void ReloadFailed(this ILogger logger, string room, Exception exception);

    [LoggerMessage(EventId = 1203, Level = LogLevel.Information, Message = "[ROOMS] {Owner} created and owns {Room}")]
    public static partial void Claimed(this ILogger logger, string owner, string room);

    [LoggerMessage(EventId = 1204, Level = LogLevel.Information, Message = "[MODERATION] {By} in {Room}: {Action} {Target}")]
    public static partial void Moderated(this ILogger logger, string by, string room, string action, string? target);

    [LoggerMessage(EventId = 1205, Level = LogLevel.Debug, Message = "[MODERATION] {By} in {Room}: {Action} with {Detail}")]
    public static partial void ModeratedDetail(this ILogger logger, string by, string room, string action, string? detail);

    [LoggerMessage(EventId = 1206, Level = LogLevel.Information, Message = "[MODERATION] {Nickname} refused in {Room}: {Reason}")]
    public static partial void Refused(this ILogger logger, string nickname, string room, string reason);

}
