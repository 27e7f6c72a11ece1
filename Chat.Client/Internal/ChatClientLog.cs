using Microsoft.Extensions.Logging;

namespace Chat.Client.Internal;

/// <summary>The client's own log lines. Usernames appear; passwords and tokens never do.</summary>
internal static partial class ChatClientLog
{
    [LoggerMessage(EventId = 1, Level = LogLevel.Debug, Message = "Signed in as {Username}; the access token is good until {ExpiresAt}")]
    public static partial void SignedIn(ILogger logger, string username, DateTimeOffset expiresAt);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "The server refused the access token of {Username}; signing in again")]
    public static partial void TokenRefused(ILogger logger, string username);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning, Message = "Signing in as {Username} again failed for good: {Reason}")]
    public static partial void SignInFailed(ILogger logger, string username, string reason);
}
