using Chat.Server.Hosting;
using Chat.Server.Hubs.Internal;

namespace Chat.Server.Doors.Internal;

/// <summary>
/// A door connection's inbound budget, the hub's frame budget (<see cref="ChatLimitsOptions.InboundMessagesPerSecond"/>,
/// <see cref="ChatLimitsOptions.InboundBurst"/>): every message or line counts, including those that call
/// nothing on the hub (blank lines, unknown commands, malformed input), which the hub's rate limits
/// never see. Past it the door closes the connection with <see cref="Sentence"/>.
/// </summary>
internal sealed class InboundBudget
{
    public const string Sentence = "Too many messages; the connection is closed.";

    private readonly string _door;
    private readonly ChatLimitsOptions _limits;
    private readonly ChatMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly TokenBucket _bucket;

    public InboundBudget(string door, ChatLimitsOptions limits, ChatMetrics metrics, TimeProvider time, ILogger logger)
    {
        _door = door;
        _limits = limits;
        _metrics = metrics;
        _time = time;
        _logger = logger;
        _bucket = new TokenBucket(limits.InboundBurst, time.GetTimestamp());
    }

    /// <summary>Takes one message's worth; false (counted as a flood and logged) when the budget is spent.</summary>
    public bool TryTake()
    {
        if (_bucket.TryTake(_limits.InboundMessagesPerSecond, _limits.InboundBurst, _time))
        {
            return true;
        }

        _metrics.Rejected("flood");
        _logger.DoorFlood(_door);
        return false;
    }
}
