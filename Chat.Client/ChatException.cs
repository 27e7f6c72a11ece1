namespace Chat.Client;

/// <summary>The server refused a call; <see cref="Exception.Message"/> is its sentence for a person.</summary>
public class ChatException : Exception
{
    private const string ServerMarker = "HubException: ";

    public ChatException(string message, Exception? innerException = null)
        : base(message, innerException)
    {
    }

    /// <summary>
    /// SignalR prefixes a hub's error with "An unexpected error occurred invoking 'X' on the server."
    /// or "Connection closed with an error."; this returns the sentence after that prefix.
    /// </summary>
    public static string SentenceOf(Exception exception)
    {
        var message = exception.Message;
        var marker = message.IndexOf(ServerMarker, StringComparison.Ordinal);
        return marker >= 0 ? message[(marker + ServerMarker.Length)..] : message;
    }
}
