using System.Diagnostics.Metrics;
using Chat.Server.Registry;
using Chat.Server.Rooms;
using Chat.Server.Transport;

namespace Chat.Server.Hosting;

/// <summary>
/// The server's instruments, on the meter <c>SignalRChat.Server</c>, named and given units by
/// OpenTelemetry's conventions (docs/architecture.md, "Metrics and traces", lists them with their
/// Prometheus names). Attributes are bounded sets of words: never a room, a nickname or user text.
/// <c>dotnet-counters monitor -n Chat.Server --counters SignalRChat.Server</c> reads them too.
/// </summary>
public sealed class ChatMetrics : IDisposable
{
    public const string MeterName = "SignalRChat.Server";

    public const string Connections = "chat.connections";
    public const string Rooms = "chat.rooms";
    public const string Users = "chat.users";
    public const string MessagesReceived = "chat.messages.received";
    public const string MessagesDelivered = "chat.messages.delivered";
    public const string SendDuration = "chat.send.duration";
    public const string StoreBatchSize = "chat.store.batch.size";
    public const string StoreCommitDuration = "chat.store.commit.duration";
    public const string Rejections = "chat.rejections";
    public const string RedisDegraded = "chat.redis.degraded";
    public const string RedisDegradedTime = "chat.redis.degraded.time";
    public const string PresenceSweeps = "chat.presence.sweeps";
    public const string TransportPooled = "chat.transport.pooled";

    /// <summary>On <see cref="Connections"/>: <c>direct</c> (Chat.Server's own WebSocket path) or <c>http</c> (through Kestrel's HTTP stack).</summary>
    public const string TransportAttribute = "chat.transport";

    /// <summary>On <see cref="MessagesReceived"/>: <c>room</c> or <c>direct</c>.</summary>
    public const string MessageKindAttribute = "chat.message.kind";

    /// <summary>On <see cref="Rejections"/>: why a call or connection was refused.</summary>
    public const string RejectionReasonAttribute = "chat.rejection.reason";

    private static readonly TimeSpan RoomCountTimeout = TimeSpan.FromSeconds(1);

    // Milliseconds matter here: an acknowledged send waits for a commit (an fsync, or a round trip to PostgreSQL).
    private static readonly double[] LatencyBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.0075, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 1, 2.5, 5];
    private static readonly int[] BatchBuckets = [1, 2, 4, 8, 16, 32, 64, 128, 256, 512, 1024];

    private readonly Meter _meter;
    private readonly UpDownCounter<long> _connections;
    private readonly Counter<long> _messagesReceived;
    private readonly Counter<long> _messagesDelivered;
    private readonly Histogram<double> _sendDuration;
    private readonly Histogram<int> _storeBatchSize;
    private readonly Histogram<double> _storeCommitDuration;
    private readonly Counter<long> _rejections;
    private readonly Counter<long> _presenceSweeps;
    private int _lastRoomCount;

    public ChatMetrics(IMeterFactory meters, IRoomRegistry rooms, TransportMemoryPools pools, RedisOutage? redisOutage = null)
    {
        _meter = meters.Create(MeterName);
        _connections = _meter.CreateUpDownCounter<long>(Connections, "{connection}", "Open hub connections on this node, by the way they arrived.");
        _messagesReceived = _meter.CreateCounter<long>(MessagesReceived, "{message}", "Room and direct messages accepted from clients.");
        _messagesDelivered = _meter.CreateCounter<long>(MessagesDelivered, "{message}", "Room and direct messages written to this node's connections, one per connection.");
        _sendDuration = _meter.CreateHistogram(
            SendDuration, "s", "From the hub receiving SendMessage to its acknowledgement (the message stored).", tags: null,
            new InstrumentAdvice<double> { HistogramBucketBoundaries = LatencyBuckets });
        _storeBatchSize = _meter.CreateHistogram(
            StoreBatchSize, "{message}", "Messages committed together by the store's writer.", tags: null,
            new InstrumentAdvice<int> { HistogramBucketBoundaries = BatchBuckets });
        _storeCommitDuration = _meter.CreateHistogram(
            StoreCommitDuration, "s", "How long one batch's transaction took, commit included.", tags: null,
            new InstrumentAdvice<double> { HistogramBucketBoundaries = LatencyBuckets });
        _rejections = _meter.CreateCounter<long>(Rejections, "{rejection}", "Calls and connections refused, by reason.");
        _presenceSweeps = _meter.CreateCounter<long>(PresenceSweeps, "{sweep}", "Sweeps of dead nodes' connections out of the cluster's rooms run by this node.");
        _meter.CreateObservableGauge(Rooms, () => CountRooms(rooms), "{room}", "Rooms with at least one member.");
        _meter.CreateObservableGauge(Users, () => rooms.LocalUserCount, "{user}", "Distinct users connected to this node.");
        _meter.CreateObservableGauge(TransportPooled, () => pools.PooledBytes, "By", "Socket buffer memory kept free for reuse.");
        if (redisOutage is not null)
        {
            _meter.CreateObservableGauge(RedisDegraded, () => redisOutage.IsDegraded ? 1 : 0, "1", "1 while Redis does not answer or this node is registering itself with it again, else 0.");
            _meter.CreateObservableCounter(RedisDegradedTime, () => redisOutage.TimeDegraded.TotalSeconds, "s", "Seconds this node has spent without Redis answering.");
        }
    }

    /// <summary>This server's meter: several servers in one process each have their own, all named <see cref="MeterName"/>.</summary>
    internal Meter Meter => _meter;

    /// <param name="transport"><c>direct</c> or <c>http</c>.</param>
    public void ConnectionOpened(string transport) => _connections.Add(1, new KeyValuePair<string, object?>(TransportAttribute, transport));

    /// <param name="transport">As it was given to <see cref="ConnectionOpened"/>.</param>
    public void ConnectionClosed(string transport) => _connections.Add(-1, new KeyValuePair<string, object?>(TransportAttribute, transport));

    /// <param name="kind"><c>room</c> or <c>direct</c>.</param>
    public void MessageReceived(string kind) => _messagesReceived.Add(1, new KeyValuePair<string, object?>(MessageKindAttribute, kind));

    /// <summary>One room or direct message written to one connection here.</summary>
    public void MessageDelivered() => _messagesDelivered.Add(1);

    public void SendAcknowledged(TimeSpan elapsed) => _sendDuration.Record(elapsed.TotalSeconds);

    /// <summary>One committed batch of the store's writer.</summary>
    public void StoreCommitted(int messages, TimeSpan elapsed)
    {
        _storeBatchSize.Record(messages);
        _storeCommitDuration.Record(elapsed.TotalSeconds);
    }

    /// <param name="reason">invalid, rate_limit, flood, origin, nickname_taken, http10_upgrade, websocket_version, stalled, silent.</param>
    public void Rejected(string reason) => _rejections.Add(1, new KeyValuePair<string, object?>(RejectionReasonAttribute, reason));

    public void PresenceSwept() => _presenceSweeps.Add(1);

    public void Dispose() => _meter.Dispose();

    private int CountRooms(IRoomRegistry rooms)
    {
        // Read by a metrics listener about once a second; a slow registry keeps the last answer.
        var listing = rooms.ListLobbyAsync().AsTask();
        if (listing.Wait(RoomCountTimeout))
        {
            _lastRoomCount = listing.Result.Count;
        }

        return _lastRoomCount;
    }
}
