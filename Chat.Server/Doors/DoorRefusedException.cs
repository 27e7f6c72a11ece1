namespace Chat.Server.Doors;

/// <summary>The hub refused a door's connection; <see cref="Exception.Message"/> is the sentence for the user.</summary>
public sealed class DoorRefusedException(string message, Exception? inner = null) : Exception(message, inner)
{
    // SignalR's client words a close with an error as "The server closed the connection with the following error: ...".
    private const string ServerErrorMarker = "error: ";

    /// <summary>The hub's own sentence out of the client's wording of a refusal.</summary>
    public static string SentenceOf(Exception ex)
    {
        var message = ex.Message;
        var marker = message.IndexOf(ServerErrorMarker, StringComparison.Ordinal);
        var sentence = marker >= 0 ? message[(marker + ServerErrorMarker.Length)..] : message;

        // Errors raised by the hub carry SignalR's prefix for hub exceptions.
        const string hubPrefix = "HubException: ";
        var hub = sentence.IndexOf(hubPrefix, StringComparison.Ordinal);
        return hub >= 0 ? sentence[(hub + hubPrefix.Length)..] : sentence;
    }
}
