namespace Chat.Server.Admin.Internal;

/// <summary>Counts per bucket, oldest first, for the buckets that end at <paramref name="End"/>.</summary>
internal sealed record TrafficSeries(DateTimeOffset End, int BucketSeconds, long[] Received, long[] Delivered)
{
    /// <summary>Messages per second over the last minute (the filling bucket included).</summary>
    public double ReceivedPerSecond => PerSecond(Received);

    public double DeliveredPerSecond => PerSecond(Delivered);

    private double PerSecond(long[] counts)
    {
        var buckets = Math.Min(counts.Length, 60 / BucketSeconds);
        return counts.TakeLast(buckets).Sum() / (double)(buckets * BucketSeconds);
    }
}
