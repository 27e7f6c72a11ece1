using Microsoft.AspNetCore.SignalR.Client;

namespace Chat.Tests.Infrastructure;

/// <summary>A reconnect policy that keeps a client away until the test lets it back (<see cref="Release"/>).</summary>
public sealed class HeldRetryPolicy : IRetryPolicy
{
    private readonly ManualResetEventSlim _released = new(false);

    public void Release() => _released.Set();

    public TimeSpan? NextRetryDelay(RetryContext retryContext)
    {
        // Runs on the client's reconnect loop, never on a test thread; blocking it is the point.
        _released.Wait(TimeSpan.FromSeconds(60));
        return TimeSpan.FromMilliseconds(100);
    }
}
