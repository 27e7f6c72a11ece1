using Microsoft.AspNetCore.SignalR.Client;

namespace Chat.Tests.Infrastructure;

/// <summary>
/// A reconnect policy that keeps a client away until the test lets it back (<see cref="Release"/>).
/// The first attempt goes at once (while the server is still down, so it fails and the client is
/// reconnecting); the ones after it wait for the release.
/// </summary>
public sealed class HeldRetryPolicy : IRetryPolicy
{
    private readonly ManualResetEventSlim _released = new(false);

    public void Release() => _released.Set();

    public TimeSpan? NextRetryDelay(RetryContext retryContext)
    {
        if (retryContext.PreviousRetryCount == 0)
        {
            return TimeSpan.Zero;
        }

        // Runs on the client's reconnect loop, never on a test thread; blocking it is the point.
        _released.Wait(TimeSpan.FromSeconds(60));
        return TimeSpan.FromMilliseconds(100);
    }
}
