using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace Chat.Server.Accounts.Internal;

/// <summary>
/// Wrong passwords per username, from any address: after <see cref="AuthRateLimitOptions.FailedSignInsPerUsername"/>
/// in a window, sign-in to that name waits for the window to end. The rate limiting middleware counts
/// requests per address before the body is read; a username is in the body, so the endpoint asks this
/// limiter itself, with the same library and fixed windows, rather than buffering every body in a
/// partitioner. Only failures count, so a person signing in on several devices is never held up.
/// </summary>
internal sealed class SignInThrottle : IDisposable
{
    private readonly PartitionedRateLimiter<string> _failures;
    private readonly TimeSpan _window;

    public SignInThrottle(IOptions<AuthOptions> options)
    {
        var limits = options.Value.RateLimit;
        _window = limits.Window;
        _failures = PartitionedRateLimiter.Create<string, string>(nameKey => RateLimitPartition.GetFixedWindowLimiter(nameKey, _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = limits.FailedSignInsPerUsername,
            Window = limits.Window,
            QueueLimit = 0,
            AutoReplenishment = true,
        }));
    }

    /// <summary>Whether sign-in to this name waits; if so, for how long.</summary>
    public bool IsPaused(string nameKey, out TimeSpan retryAfter)
    {
        using var lease = _failures.AttemptAcquire(nameKey, permitCount: 0);
        retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : _window;
        return !lease.IsAcquired;
    }

    public void RecordFailure(string nameKey)
    {
        using var lease = _failures.AttemptAcquire(nameKey, permitCount: 1);
    }

    public void Dispose() => _failures.Dispose();
}
