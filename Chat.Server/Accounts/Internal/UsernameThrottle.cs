using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace Chat.Server.Accounts.Internal;

/// <summary>
/// The per-username limits, from any address: wrong passwords (after
/// <see cref="AuthRateLimitOptions.FailedSignInsPerUsername"/> in a window, sign-in to that name waits for
/// the window to end; only failures count, so a person signing in on several devices is never held up)
/// and sign-up attempts (<see cref="AuthRateLimitOptions.SignUpsPerUsername"/>). The rate limiting
/// middleware counts requests per address before the body is read; a username is in the body, so the
/// endpoints ask these limiters themselves, with the same library and fixed windows, rather than
/// buffering every body in a partitioner.
/// </summary>
internal sealed class UsernameThrottle : IDisposable
{
    private readonly PartitionedRateLimiter<string> _failedSignIns;
    private readonly PartitionedRateLimiter<string> _signUps;
    private readonly TimeSpan _window;

    public UsernameThrottle(IOptions<AuthOptions> options)
    {
        var limits = options.Value.RateLimit;
        _window = limits.Window;
        _failedSignIns = PerUsername(limits.FailedSignInsPerUsername, limits.Window);
        _signUps = PerUsername(limits.SignUpsPerUsername, limits.Window);
    }

    /// <summary>Whether sign-in to this name waits; if so, for how long.</summary>
    public bool IsSignInPaused(string nameKey, out TimeSpan retryAfter) => IsPaused(_failedSignIns, nameKey, permits: 0, out retryAfter);

    public void RecordFailedSignIn(string nameKey)
    {
        using var lease = _failedSignIns.AttemptAcquire(nameKey, permitCount: 1);
    }

    /// <summary>Counts a sign-up attempt for this name; whether it must wait, and if so for how long.</summary>
    public bool IsSignUpPaused(string nameKey, out TimeSpan retryAfter) => IsPaused(_signUps, nameKey, permits: 1, out retryAfter);

    public void Dispose()
    {
        _failedSignIns.Dispose();
        _signUps.Dispose();
    }

    private bool IsPaused(PartitionedRateLimiter<string> limiter, string nameKey, int permits, out TimeSpan retryAfter)
    {
        using var lease = limiter.AttemptAcquire(nameKey, permits);
        retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : _window;
        return !lease.IsAcquired;
    }

    private static PartitionedRateLimiter<string> PerUsername(int permits, TimeSpan window) =>
        PartitionedRateLimiter.Create<string, string>(nameKey => RateLimitPartition.GetFixedWindowLimiter(nameKey, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = permits,
            Window = window,
            QueueLimit = 0,
            AutoReplenishment = true,
        }));
}
