using System.Diagnostics;

namespace Chat.Bench.Load;

/// <summary>
/// One measured window: the latencies of messages sent within it (delivered whenever), the
/// acknowledgements of those sends, and the deliveries that arrived within it.
/// </summary>
public sealed class Measurement
{
    private long _end = long.MaxValue;
    private long _deliveries;

    public Measurement()
    {
        Start = Stopwatch.GetTimestamp();
    }

    public long Start { get; }

    public long End => Volatile.Read(ref _end);

    public LatencyHistogram Latency { get; } = new();

    public LatencyHistogram Acknowledgement { get; } = new();

    /// <summary>Deliveries received while the window was open.</summary>
    public long Deliveries => Volatile.Read(ref _deliveries);

    public double Seconds => (Math.Min(End, Stopwatch.GetTimestamp()) - Start) / (double)Stopwatch.Frequency;

    public bool IsOpen => End == long.MaxValue;

    public bool Covers(long sentAt) => sentAt >= Start && sentAt < End;

    public void Close() => Interlocked.CompareExchange(ref _end, Stopwatch.GetTimestamp(), long.MaxValue);

    public void CountDelivery()
    {
        if (IsOpen)
        {
            Interlocked.Increment(ref _deliveries);
        }
    }
}
