namespace Chat.Server.Registry.Internal;

/// <summary>A connection on this node; its gate serializes its registry changes and its resync.</summary>
internal sealed class TrackedConnection(string id, string userId)
{
    public string Id { get; } = id;

    public string UserId { get; } = userId;

    public SemaphoreSlim Gate { get; } = new(1, 1);
}
