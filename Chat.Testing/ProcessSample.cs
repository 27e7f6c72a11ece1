using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace Chat.Testing;

/// <summary>
/// A process's CPU time and memory at one moment, from <c>/proc/PID/stat</c> (utime + stime) and
/// <c>/proc/PID/status</c> (VmRSS, VmHWM: resident now and at its peak).
/// </summary>
public sealed record ProcessSample(long Timestamp, TimeSpan Cpu, long ResidentBytes, long PeakResidentBytes)
{
    private const int ClockTicksName = 2; // _SC_CLK_TCK

    private static readonly long ClockTicksPerSecond = ReadClockTicks();

    public static ProcessSample Empty { get; } = new(0, TimeSpan.Zero, 0, 0);

    public static ProcessSample Read(int processId)
    {
        var timestamp = Stopwatch.GetTimestamp();
        var stat = File.ReadAllText($"/proc/{processId}/stat");

        // The command name (field 2) may hold spaces and parentheses; the fields after it are plain.
        var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        long resident = 0;
        long peak = 0;
        foreach (var line in File.ReadLines($"/proc/{processId}/status"))
        {
            if (line.StartsWith("VmRSS:", StringComparison.Ordinal))
            {
                resident = Kilobytes(line) * 1024;
            }
            else if (line.StartsWith("VmHWM:", StringComparison.Ordinal))
            {
                peak = Kilobytes(line) * 1024;
            }
        }

        return new ProcessSample(timestamp, TimeSpan.FromSeconds(ticks / (double)ClockTicksPerSecond), resident, peak);
    }

    public static ProcessSample ReadSelf() => Read(Environment.ProcessId);

    /// <summary>The load average over 1, 5 and 15 minutes, as <c>/proc/loadavg</c> gives it.</summary>
    public static string LoadAverage()
    {
        try
        {
            return string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));
        }
        catch (IOException)
        {
            return "?";
        }
    }

    /// <summary>CPU used between two samples, as a share of one core (100 = one core busy).</summary>
    public static double CpuPercent(ProcessSample before, ProcessSample after)
    {
        var wall = (after.Timestamp - before.Timestamp) / (double)Stopwatch.Frequency;
        return wall <= 0 ? 0 : (after.Cpu - before.Cpu).TotalSeconds / wall * 100;
    }

    private static long Kilobytes(string line) =>
        long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);

    private static long ReadClockTicks()
    {
        var ticks = SysConf(ClockTicksName);
        return ticks > 0 ? ticks : 100;
    }

    [DllImport("libc", EntryPoint = "sysconf")]
    private static extern long SysConf(int name);
}
