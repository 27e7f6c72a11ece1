namespace Chat.Server.Transport;

/// <summary>
/// Why the server closed a connection, kept for a peer in this process that can pass it on: a door
/// tells its user in its own dialect. Only door connections carry it (the guard's aborts are recorded
/// by the door's connection, a flood by <see cref="Hubs.RateLimitFilter"/>); the first reason stays.
/// </summary>
public sealed class CloseReasonFeature
{
    private string? _reason;

    /// <summary>The sentence for the user, or null while nobody has closed the connection with a reason.</summary>
    public string? Reason => Volatile.Read(ref _reason);

    public void Set(string reason) => Interlocked.CompareExchange(ref _reason, reason, null);
}
