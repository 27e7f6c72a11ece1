namespace Chat.Server.Hubs.Internal;

/// <summary>
/// A token bucket: <c>burst</c> tokens, refilled at <c>perSecond</c>. Not thread-safe; each connection's
/// buckets are used by one invocation at a time (SignalR runs a client's invocations one by one), and
/// the inbound guard takes a lock around it.
/// </summary>
internal sealed class TokenBucket(double perSecond, int burst, TimeProvider time)
{
    private double _tokens = burst;
    private long _lastRefill = time.GetTimestamp();

    public bool TryTake()
    {
        var now = time.GetTimestamp();
        _tokens = Math.Min(burst, _tokens + (time.GetElapsedTime(_lastRefill, now).TotalSeconds * perSecond));
        _lastRefill = now;
        if (_tokens < 1)
        {
            return false;
        }

        _tokens -= 1;
        return true;
    }
}
