namespace Chat.Bench.Load;

/// <summary>
/// Receives what the server sends to a simulated user, on that user's receive loop (one loop per
/// connection, so calls for one client never overlap). Records are only valid during the call.
/// </summary>
public interface IHubEventSink
{
    /// <summary>An event (a server-to-client invocation) such as <c>ReceiveMessage</c>.</summary>
    void OnEvent(HubClient client, ReadOnlySpan<byte> record);

    /// <summary>The answer to a send whose invocation id was <paramref name="invocationId"/>; <paramref name="error"/> when it failed.</summary>
    void OnSendCompleted(HubClient client, long invocationId, string? error);
}

/// <summary>A sink that ignores everything (connection and memory scenarios).</summary>
public sealed class NullEventSink : IHubEventSink
{
    public static readonly NullEventSink Instance = new();

    public void OnEvent(HubClient client, ReadOnlySpan<byte> record)
    {
    }

    public void OnSendCompleted(HubClient client, long invocationId, string? error)
    {
    }
}
