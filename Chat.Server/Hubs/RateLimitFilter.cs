using Chat.Protocol;
using Chat.Server.Hosting;
using Chat.Server.Hubs.Internal;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace Chat.Server.Hubs;

/// <summary>
/// Per-connection rate limits on hub calls: sends, joins and the rest each have a token bucket. A call
/// over its limit gets "slow down" (typing is dropped silently instead); a connection that keeps
/// going over is closed. Refusals of any kind are counted by reason.
/// </summary>
public sealed class RateLimitFilter(IOptions<ChatLimitsOptions> options, ChatMetrics metrics, TimeProvider time, ILogger<RateLimitFilter> logger) : IHubFilter
{
    public const string SlowDown = "You are sending too fast. Slow down and try again in a moment.";

    private static readonly object BucketsKey = new();

    public async ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocationContext, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        var context = invocationContext.Context;
        var limits = GetLimits(context);
        var method = invocationContext.HubMethodName;
        var bucket = method switch
        {
            HubMethods.SendMessage or HubMethods.SendDirect => limits.Sends,
            HubMethods.Join => limits.Joins,
            _ => limits.Calls,
        };

        if (!bucket.TryTake())
        {
            metrics.Rejected("rate_limit");
            if (limits.Strike(time))
            {
                metrics.Rejected("flood");
                logger.Flooding(context.ConnectionId, method);
                context.Abort();
            }

            if (method == HubMethods.Typing)
            {
                return null;
            }

            throw new HubException(SlowDown);
        }

        try
        {
            return await next(invocationContext);
        }
        catch (HubException)
        {
            metrics.Rejected("invalid");
            throw;
        }
    }

    private ConnectionLimits GetLimits(HubCallerContext context)
    {
        if (context.Items.TryGetValue(BucketsKey, out var existing) && existing is ConnectionLimits limits)
        {
            return limits;
        }

        var value = options.Value;
        limits = new ConnectionLimits(
            new TokenBucket(value.SendsPerSecond, value.SendBurst, time),
            new TokenBucket(value.JoinsPerSecond, value.JoinBurst, time),
            new TokenBucket(value.CallsPerSecond, value.CallBurst, time),
            value.MaxStrikes,
            TimeSpan.FromSeconds(value.StrikeWindowSeconds));
        context.Items[BucketsKey] = limits;
        return limits;
    }

    private sealed class ConnectionLimits(TokenBucket sends, TokenBucket joins, TokenBucket calls, int maxStrikes, TimeSpan window)
    {
        private readonly Queue<long> _strikes = new();

        public TokenBucket Sends { get; } = sends;

        public TokenBucket Joins { get; } = joins;

        public TokenBucket Calls { get; } = calls;

        /// <summary>Records a refusal; true when there were too many within the window.</summary>
        public bool Strike(TimeProvider time)
        {
            var now = time.GetTimestamp();
            _strikes.Enqueue(now);
            while (_strikes.Count > 0 && time.GetElapsedTime(_strikes.Peek(), now) > window)
            {
                _strikes.Dequeue();
            }

            return _strikes.Count > maxStrikes;
        }
    }
}
