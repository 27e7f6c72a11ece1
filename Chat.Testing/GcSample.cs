using System.Globalization;

namespace Chat.Testing;

/// <summary>A server's GC (and JIT) figures at one moment, as its startup hook wrote them (within 200 ms).</summary>
public sealed record GcSample(long AllocatedBytes, int Gen0, int Gen1, int Gen2, TimeSpan Pauses, long HeapBytes, long JitMethods, TimeSpan JitTime, long CommittedBytes)
{
    public static GcSample Empty { get; } = new(0, 0, 0, 0, TimeSpan.Zero, 0, 0, TimeSpan.Zero, 0);

    /// <summary>The figures in <paramref name="path"/>, or <see cref="Empty"/> when the hook has written none.</summary>
    public static GcSample Read(string path)
    {
        try
        {
            var fields = File.ReadAllText(path).Split(' ');
            return new GcSample(
                long.Parse(fields[0], CultureInfo.InvariantCulture),
                int.Parse(fields[1], CultureInfo.InvariantCulture),
                int.Parse(fields[2], CultureInfo.InvariantCulture),
                int.Parse(fields[3], CultureInfo.InvariantCulture),
                TimeSpan.FromTicks(long.Parse(fields[4], CultureInfo.InvariantCulture)),
                long.Parse(fields[5], CultureInfo.InvariantCulture),
                long.Parse(fields[7], CultureInfo.InvariantCulture),
                TimeSpan.FromTicks(long.Parse(fields[8], CultureInfo.InvariantCulture)),
                long.Parse(fields[9], CultureInfo.InvariantCulture));
        }
        catch (Exception ex) when (ex is IOException or FormatException or IndexOutOfRangeException)
        {
            return Empty;
        }
    }
}
