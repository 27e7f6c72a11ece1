namespace Chat.Client;

public enum ConnectFailure
{
    /// <summary>Nothing answered at the address (refused, unresolvable, timed out).</summary>
    Unreachable,

    /// <summary>The server answered and refused the connection, e.g. the nickname is taken.</summary>
    Refused,
}

/// <summary>Connecting failed; <see cref="Exception.Message"/> says why in a sentence.</summary>
public sealed class ChatConnectionException(string message, ConnectFailure failure, Exception? innerException = null)
    : ChatException(message, innerException)
{
    public ConnectFailure Failure { get; } = failure;
}
