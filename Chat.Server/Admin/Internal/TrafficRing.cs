namespace Chat.Server.Admin.Internal;

/// <summary>
/// Messages received and deliveries sent over the last 15 minutes, in 5-second buckets: a ring of 180
/// slots, each stamped with the bucket it counts, so a slot left from an earlier lap reads as zero.
/// Adds are lock-free (one <see cref="Interlocked"/> add); only the first add of a new bucket takes the
/// lock to clear its slot. An add racing that clear can be lost: this feeds a chart, not a bill.
/// </summary>
internal sealed class TrafficRing
{
    public const int BucketSeconds = 5;
    public const int BucketCount = 15 * 60 / BucketSeconds;

    private readonly long[] _bucketOf = new long[BucketCount];
    private readonly long[] _received = new long[BucketCount];
    private readonly long[] _delivered = new long[BucketCount];
    private readonly Lock _gate = new();

    public TrafficRing()
    {
        Array.Fill(_bucketOf, -1);
    }

    public void AddReceived(long count, DateTimeOffset at) => Interlocked.Add(ref _received[SlotFor(at)], count);

    public void AddDelivered(long count, DateTimeOffset at) => Interlocked.Add(ref _delivered[SlotFor(at)], count);

    /// <summary>The last 15 minutes up to <paramref name="now"/>, oldest bucket first; the last bucket is the one still filling.</summary>
    public TrafficSeries Read(DateTimeOffset now)
    {
        var last = BucketOf(now);
        var received = new long[BucketCount];
        var delivered = new long[BucketCount];
        for (var i = 0; i < BucketCount; i++)
        {
            var bucket = last - BucketCount + 1 + i;
            var slot = (int)(bucket % BucketCount);
            if (bucket >= 0 && Volatile.Read(ref _bucketOf[slot]) == bucket)
            {
                received[i] = Volatile.Read(ref _received[slot]);
                delivered[i] = Volatile.Read(ref _delivered[slot]);
            }
        }

        return new TrafficSeries(DateTimeOffset.FromUnixTimeSeconds((last + 1) * BucketSeconds), BucketSeconds, received, delivered);
    }

    private static long BucketOf(DateTimeOffset at) => at.ToUnixTimeSeconds() / BucketSeconds;

    private int SlotFor(DateTimeOffset at)
    {
        var bucket = BucketOf(at);
        var slot = (int)(bucket % BucketCount);
        if (Volatile.Read(ref _bucketOf[slot]) != bucket)
        {
            lock (_gate)
            {
                if (_bucketOf[slot] < bucket)
                {
                    _received[slot] = 0;
                    _delivered[slot] = 0;
                    Volatile.Write(ref _bucketOf[slot], bucket);
                }
            }
        }

        return slot;
    }
}
