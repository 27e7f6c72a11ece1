namespace Chat.Server.Hubs.Internal;

/// <summary>
/// A token bucket: starts with <c>burst</c> tokens, refilled at <c>perSecond</c>. Only the state lives
/// here (there are several per connection); the caller passes its rule on each take. Not thread-safe;
/// each connection's buckets are used by one invocation at a time (SignalR runs a client's invocations
/// one by one), and the inbound guard takes a lock around it.
/// </summary>
internal sealed class TokenBucket(int burst, long now)
{
    private double _tokens = burst;
    private long _lastRefill = now;

    public bool TryTake(double perSecond, int burst, TimeProvider time)
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
