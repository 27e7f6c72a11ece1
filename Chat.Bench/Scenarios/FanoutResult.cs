using Chat.Bench.Load;

namespace Chat.Bench.Scenarios;

/// <summary>What one measured fanout window showed (latencies and CPU of the window; correctness over the whole run).</summary>
public sealed record FanoutResult
{
    public required string Server { get; init; }

    public required int Connections { get; init; }

    public required int Rooms { get; init; }

    public required int SendersPerRoom { get; init; }

    public required int MessageBytes { get; init; }

    public required double RatePerSender { get; init; }

    public required double OfferedMessagesPerSecond { get; init; }

    public required double OfferedDeliveriesPerSecond { get; init; }

    public required double WindowSeconds { get; init; }

    /// <summary>Messages sent in the whole run (warm-up included).</summary>
    public required long MessagesSent { get; init; }

    /// <summary>Deliveries received while the window was open.</summary>
    public required long Deliveries { get; init; }

    public required double DeliveriesPerSecond { get; init; }

    /// <summary>Deliveries owed for the whole run: each successful send times its room's members.</summary>
    public required long ExpectedDeliveries { get; init; }

    public required long Lost { get; init; }

    public required long Duplicates { get; init; }

    /// <summary>Deliveries that arrived after a later message of the same sender.</summary>
    public required long OutOfOrder { get; init; }

    /// <summary>Deliveries to users not in the sender's room.</summary>
    public required long Misrouted { get; init; }

    public required long SendErrors { get; init; }

    public string? FirstError { get; init; }

    /// <summary>From send to delivery, for messages sent in the window.</summary>
    public required LatencySummary Latency { get; init; }

    /// <summary>From send to the sender's answer (for our hub: the message is durable).</summary>
    public required LatencySummary Acknowledgement { get; init; }

    public required double ServerCpuSeconds { get; init; }

    /// <summary>Server CPU as a share of one core (100 = one core busy).</summary>
    public required double ServerCpuPercent { get; init; }

    public required double ServerCpuMicrosecondsPerDelivery { get; init; }

    public required double ServerResidentMiB { get; init; }

    public required double ServerPeakResidentMiB { get; init; }

    /// <summary>Bytes the server allocated (managed heap) per delivery in the window; 0 when unknown.</summary>
    public double ServerAllocatedBytesPerDelivery { get; init; }

    /// <summary>Garbage collections in the window, by generation.</summary>
    public int ServerGen0Collections { get; init; }

    public int ServerGen1Collections { get; init; }

    public int ServerGen2Collections { get; init; }

    /// <summary>Time the server spent paused for GC in the window.</summary>
    public double ServerGcPauseMilliseconds { get; init; }

    public double ServerManagedHeapMiB { get; init; }

    /// <summary>The generator's own CPU as a share of one core: near 100 with one core means it, not the server, was the limit.</summary>
    public required double GeneratorCpuPercent { get; init; }

    /// <summary>Connections that ended during the run (closed by the server or broken).</summary>
    public required int ClosedConnections { get; init; }

    public required string LoadAverage { get; init; }

    public bool Correct => Lost == 0 && Duplicates == 0 && OutOfOrder == 0 && Misrouted == 0 && ClosedConnections == 0;
}
