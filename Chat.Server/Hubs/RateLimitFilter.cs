using System.Runtime.CompilerServices;
using Chat.Protocol;
using Chat.Server.Admin;
using Chat.Server.Hosting;
using Chat.Server.Hubs.Internal;
using Chat.Server.Transport;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace Chat.Server.Hubs;

/// <summary>
/// Per-connection rate limits on hub calls: sends, joins and the rest each have a token bucket. A call
/// over its limit gets "slow down" (typing is dropped silently instead); a connection that keeps
/// going over is closed. Refusals of any kind are counted by reason.
/// </summary>
public sealed class RateLimitFilter(IOptions<ChatLimitsOptions> options, ChatMetrics metrics, RecentActivity activity, TimeProvider time, ILogger<RateLimitFilter> logger) : IHubFilter
{
    public const string SlowDown = "You are sending too fast. Slow down and try again in a moment.";

    public const string Flooded = "Too many requests too fast; the connection is closed.";

    // Keyed by the connection's caller context (one per connection, collected with it): a
    // ConditionalWeakTable entry instead of the connection's Items dictionary, which would otherwise
    // be made for every connection just to hold this.
    private readonly ConditionalWeakTable<HubCallerContext, ConnectionLimits> _limits = [];

    // Made once, as in InboundGuardHubProtocol: a capturing lambda would be a new delegate per call.
    private readonly ConditionalWeakTable<HubCallerContext, ConnectionLimits>.CreateValueCallback _newLimits =
        _ => new ConnectionLimits(options.Value, time.GetTimestamp());

    public async ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocationContext, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        var context = invocationContext.Context;
        var limits = _limits.GetValue(context, _newLimits);
        var method = invocationContext.HubMethodName;
        var value = options.Value;
        var allowed = method switch
        {
            nameof(IChatHub.SendMessage) or nameof(IChatHub.SendDirect) => limits.Sends.TryTake(value.SendsPerSecond, value.SendBurst, time),
            nameof(IChatHub.Join) => limits.Joins.TryTake(value.JoinsPerSecond, value.JoinBurst, time),
            _ => limits.Calls.TryTake(value.CallsPerSecond, value.CallBurst, time),
        };

        if (!allowed)
        {
            metrics.Rejected("rate_limit");
            if (limits.Strike(time))
            {
                metrics.Rejected("flood");
                logger.Flooding(context.ConnectionId, method);
                activity.Flooded(context.ConnectionId, method);
                context.Features.Get<CloseReasonFeature>()?.Set(Flooded);
                context.Abort();
            }

            if (method == nameof(IChatHub.Typing))
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

    private sealed class ConnectionLimits(ChatLimitsOptions limits, long now)
    {
        private readonly int _maxStrikes = limits.MaxStrikes;
        private readonly TimeSpan _window = TimeSpan.FromSeconds(limits.StrikeWindowSeconds);

        // Made at the first refusal: most connections never have one.
        private Queue<long>? _strikes;

        public TokenBucket Sends { get; } = new(limits.SendBurst, now);

        public TokenBucket Joins { get; } = new(limits.JoinBurst, now);

        public TokenBucket Calls { get; } = new(limits.CallBurst, now);

        /// <summary>Records a refusal; true when there were too many within the window.</summary>
        public bool Strike(TimeProvider time)
        {
            var now = time.GetTimestamp();
            var strikes = _strikes ??= new Queue<long>();
            strikes.Enqueue(now);
            while (strikes.Count > 0 && time.GetElapsedTime(strikes.Peek(), now) > _window)
            {
                strikes.Dequeue();
            }

            return strikes.Count > _maxStrikes;
        }
    }
}
