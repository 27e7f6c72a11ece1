namespace Chat.Server.Accounts;

/// <summary>Accounts log what happened to whom; never a password, a token, a hash or a key.</summary>
internal static partial class AccountsLog
{
    [LoggerMessage(EventId = 800, Level = LogLevel.Information, Message = "[ACCOUNT] {Username} registered")]
    public static partial void Registered(this ILogger logger, string username);

    [LoggerMessage(EventId = 801, Level = LogLevel.Information, Message = "[SIGN-IN] {Username} signed in from {Address}")]
    public static partial void SignedIn(this ILogger logger, string username, string address);

    [LoggerMessage(EventId = 802, Level = LogLevel.Information, Message = "[SIGN-IN] Refused for {Username} from {Address}: wrong username or password")]
    public static partial void SignInRefused(this ILogger logger, string username, string address);

    [LoggerMessage(EventId = 803, Level = LogLevel.Warning, Message = "[SIGN-IN] Throttled {Endpoint} from {Address} for {RetryAfterSeconds}s")]
    public static partial void Throttled(this ILogger logger, string endpoint, string address, double retryAfterSeconds);

    [LoggerMessage(EventId = 804, Level = LogLevel.Debug, Message = "[SIGN-IN] Connection {ConnectionId} is {Username}")]
    public static partial void SignedInConnection(this ILogger logger, string connectionId, string username);

    [LoggerMessage(EventId = 805, Level = LogLevel.Information, Message = "[SIGN-IN] Connection {ConnectionId} brought a token that was refused: {Reason}")]
    public static partial void TokenRefused(this ILogger logger, string connectionId, string reason);

    [LoggerMessage(EventId = 806, Level = LogLevel.Information, Message = "[ACCOUNT] Accounts ready; tokens are signed with {KeySource}")]
    public static partial void AccountsReady(this ILogger logger, string keySource);

    [LoggerMessage(EventId = 807, Level = LogLevel.Information, Message = "[SIGN-IN] Password hash of {Username} upgraded")]
    public static partial void Rehashed(this ILogger logger, string username);
}
