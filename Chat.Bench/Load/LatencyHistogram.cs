using System.Diagnostics;
using System.Numerics;

namespace Chat.Bench.Load;

/// <summary>
/// Latencies in microseconds, in log-linear buckets (each power of two split in 128, so a percentile
/// is within 1% of the true value). Recording is lock-free and allocation-free: receive loops on
/// every connection record into one histogram.
/// </summary>
public sealed class LatencyHistogram
{
    private const int SubBucketBits = 7;
    private const int SubBuckets = 1 << SubBucketBits;

    private static readonly double MicrosecondsPerTick = 1_000_000.0 / Stopwatch.Frequency;

    private readonly long[] _counts = new long[64 * SubBuckets];
    private long _count;
    private long _max;
    private long _sum;

    public long Count => Volatile.Read(ref _count);

    public static long ToMicroseconds(long stopwatchTicks) => (long)(stopwatchTicks * MicrosecondsPerTick);

    /// <summary>Records the time from <paramref name="startTimestamp"/> to <paramref name="endTimestamp"/> (Stopwatch timestamps).</summary>
    public void RecordElapsed(long startTimestamp, long endTimestamp) => Record(ToMicroseconds(endTimestamp - startTimestamp));

    public void Record(long microseconds)
    {
        var value = Math.Max(0, microseconds);
        Interlocked.Increment(ref _counts[IndexOf(value)]);
        Interlocked.Increment(ref _count);
        Interlocked.Add(ref _sum, value);
        var max = Volatile.Read(ref _max);
        while (value > max)
        {
            var seen = Interlocked.CompareExchange(ref _max, value, max);
            if (seen == max)
            {
                break;
            }

            max = seen;
        }
    }

    /// <summary>The value below which <paramref name="quantile"/> (0-1) of the recordings fall, in microseconds.</summary>
    public long ValueAt(double quantile)
    {
        var count = Count;
        if (count == 0)
        {
            return 0;
        }

        var rank = Math.Max(1, (long)Math.Ceiling(quantile * count));
        long seen = 0;
        for (var index = 0; index < _counts.Length; index++)
        {
            seen += Volatile.Read(ref _counts[index]);
            if (seen >= rank)
            {
                return Math.Min(UpperBoundOf(index), Volatile.Read(ref _max));
            }
        }

        return Volatile.Read(ref _max);
    }

    public LatencySummary Summarize() => new(
        Count,
        Milliseconds(ValueAt(0.50)),
        Milliseconds(ValueAt(0.90)),
        Milliseconds(ValueAt(0.99)),
        Milliseconds(ValueAt(0.999)),
        Milliseconds(Volatile.Read(ref _max)),
        Count == 0 ? 0 : Milliseconds(Volatile.Read(ref _sum) / (double)Count));

    private static double Milliseconds(double microseconds) => Math.Round(microseconds / 1000.0, 3);

    private static int IndexOf(long value)
    {
        // Bucket 0 holds 0-255 exactly; bucket b > 0 holds [128 << b, 256 << b) in steps of 1 << b.
        var bucket = Math.Max(0, 63 - BitOperations.LeadingZeroCount((ulong)value) - SubBucketBits);
        var sub = (int)(value >> bucket);
        return (bucket * SubBuckets) + sub;
    }

    private static long UpperBoundOf(int index)
    {
        var bucket = Math.Max(0, (index / SubBuckets) - 1);
        var sub = index - (bucket * SubBuckets);
        return ((long)(sub + 1) << bucket) - 1;
    }
}

/// <summary>Latency percentiles in milliseconds.</summary>
public sealed record LatencySummary(long Count, double P50, double P90, double P99, double P999, double Max, double Mean)
{
    public static LatencySummary Empty { get; } = new(0, 0, 0, 0, 0, 0, 0);
}
