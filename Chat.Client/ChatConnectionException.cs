namespace Chat.Client;

/// <summary>Connecting failed; <see cref="Exception.Message"/> says why in a sentence.</summary>
public sealed class ChatConnectionException(string message, ConnectFailure failure, Exception? innerException = null)
    : ChatException(message, innerException)
{
    public ConnectFailure Failure { get; } = failure;
}
