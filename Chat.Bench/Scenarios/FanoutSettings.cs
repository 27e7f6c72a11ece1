using Chat.Bench.Load;

namespace Chat.Bench.Scenarios;

/// <summary>The shape and pace of a fanout run: users in rooms, some of them sending at a fixed rate.</summary>
public sealed record FanoutSettings
{
    public int Connections { get; init; } = 2000;

    public int Rooms { get; init; } = 20;

    public int SendersPerRoom { get; init; } = 1;

    /// <summary>Messages per second per sender; when null it follows from <see cref="DeliveriesPerSecond"/>.</summary>
    public double? RatePerSender { get; init; }

    /// <summary>The offered load: deliveries per second over all rooms (used when no per-sender rate is given).</summary>
    public double DeliveriesPerSecond { get; init; } = 40_000;

    public int MessageBytes { get; init; } = 128;

    /// <summary>
    /// Seconds of sending before the window opens. Long enough for tiered compilation to finish
    /// promoting the hot paths under load: with 5 s the window still paid for JIT and measured several
    /// µs more per delivery, for both servers.
    /// </summary>
    public double WarmupSeconds { get; init; } = 15;

    public double DurationSeconds { get; init; } = 20;

    /// <summary>How long to wait, after sending stops, for the last deliveries and acknowledgements.</summary>
    public double DrainSeconds { get; init; } = 10;

    /// <summary>Users connecting at once.</summary>
    public int ConnectConcurrency { get; init; } = 64;

    public RoomLayout Layout => new(Connections, Rooms, SendersPerRoom);

    /// <summary>Deliveries per second that one message per second from every sender makes.</summary>
    public double DeliveriesPerUnitRate
    {
        get
        {
            var layout = Layout;
            return Enumerable.Range(0, layout.Senders).Sum(sender => (double)layout.MembersOf(layout.RoomOf(sender)));
        }
    }

    public double PerSenderRate => RatePerSender ?? (DeliveriesPerUnitRate == 0 ? 0 : DeliveriesPerSecond / DeliveriesPerUnitRate);

    public double OfferedDeliveriesPerSecond => PerSenderRate * DeliveriesPerUnitRate;

    public double OfferedMessagesPerSecond => PerSenderRate * Layout.Senders;
}
