using System.Diagnostics.Metrics;
using Chat.Server.Rooms;
using Chat.Server.Transport;

namespace Chat.Server.Hosting;

/// <summary>
/// The server's counters, on the meter <c>SignalRChat.Server</c>
/// (<c>dotnet-counters monitor -n Chat.Server --counters SignalRChat.Server</c>).
/// </summary>
public sealed class ChatMetrics : IDisposable
{
    public const string MeterName = "SignalRChat.Server";

    /// <summary>Room and direct messages accepted from clients.</summary>
    public const string MessagesReceived = "chat.messages.received";

    /// <summary>Messages sent out to clients.</summary>
    public const string MessagesDelivered = "chat.messages.delivered";

    private static readonly TimeSpan RoomCountTimeout = TimeSpan.FromSeconds(1);

    private readonly Meter _meter;
    private readonly UpDownCounter<long> _connections;
    private readonly Counter<long> _messagesIn;
    private readonly Counter<long> _messagesOut;
    private readonly Counter<long> _rejected;
    private int _lastRoomCount;

    public ChatMetrics(IMeterFactory meters, IRoomRegistry rooms, TransportMemoryPools pools)
    {
        _meter = meters.Create(MeterName);
        _connections = _meter.CreateUpDownCounter<long>("chat.connections", description: "Open hub connections on this server.");
        _messagesIn = _meter.CreateCounter<long>(MessagesReceived, description: "Room and direct messages accepted from clients.");
        _messagesOut = _meter.CreateCounter<long>(MessagesDelivered, description: "Room and direct messages sent out (once per message, however many receive it).");
        _rejected = _meter.CreateCounter<long>("chat.rejected", description: "Calls and connections refused, by reason.");
        _meter.CreateObservableGauge("chat.rooms", () => CountRooms(rooms), description: "Rooms with at least one member.");
        _meter.CreateObservableGauge("chat.transport.pooled", () => pools.PooledBytes, unit: "By", description: "Socket buffer memory kept free for reuse.");
    }

    /// <summary>This server's meter: several servers in one process each have their own, all named <see cref="MeterName"/>.</summary>
    internal Meter Meter => _meter;

    public void ConnectionOpened() => _connections.Add(1);

    public void ConnectionClosed() => _connections.Add(-1);

    public void MessageAccepted(string kind)
    {
        _messagesIn.Add(1, new KeyValuePair<string, object?>("kind", kind));
        _messagesOut.Add(1, new KeyValuePair<string, object?>("kind", kind));
    }

    /// <param name="reason">invalid, rate_limit, flood, origin, nickname_taken.</param>
    public void Rejected(string reason) => _rejected.Add(1, new KeyValuePair<string, object?>("reason", reason));

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
