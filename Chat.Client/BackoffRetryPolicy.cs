using Microsoft.AspNetCore.SignalR.Client;

namespace Chat.Client;

/// <summary>
/// Reconnects forever: at once, then after delays that double up to <paramref name="maxDelay"/>, each
/// varied by ±20% so clients dropped together do not return together.
/// </summary>
public sealed class BackoffRetryPolicy(TimeSpan firstDelay, TimeSpan maxDelay) : IRetryPolicy
{
    public static BackoffRetryPolicy Default { get; } = new(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(15));

    public TimeSpan? NextRetryDelay(RetryContext retryContext) => DelayFor(retryContext.PreviousRetryCount);

    public TimeSpan DelayFor(long previousAttempts)
    {
        if (previousAttempts == 0)
        {
            return TimeSpan.Zero;
        }

        var exponent = Math.Min(previousAttempts - 1, 20);
        var delay = Math.Min(firstDelay.TotalMilliseconds * Math.Pow(2, exponent), maxDelay.TotalMilliseconds);
        var jitter = 0.8 + (Random.Shared.NextDouble() * 0.4);
        return TimeSpan.FromMilliseconds(delay * jitter);
    }
}
