using Microsoft.AspNetCore.SignalR;

namespace Chat.Server.Backplane.Internal;

/// <summary>
/// One official backplane manager and its own multiplexer, from one build until the next. Stale once
/// Redis was lost or a call on it failed: a SUBSCRIBE that failed leaves the official manager believing
/// it is subscribed, so the next build starts from a new one rather than repairing this.
/// </summary>
internal sealed class BackplaneGeneration<THub>(HubLifetimeManager<THub> manager, int number) : IDisposable
    where THub : Hub
{
    private volatile bool _stale;
    private volatile bool _registered;

    public HubLifetimeManager<THub> Manager { get; } = manager;

    public int Number { get; } = number;

    public bool Stale
    {
        get => _stale;
        set => _stale = value;
    }

    /// <summary>True once every connection this node had when it was built is registered with it.</summary>
    public bool Registered
    {
        get => _registered;
        set => _registered = value;
    }

    public void Dispose() => (Manager as IDisposable)?.Dispose();
}
