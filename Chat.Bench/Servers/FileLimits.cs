using System.Runtime.InteropServices;

namespace Chat.Bench.Servers;

/// <summary>
/// Raises the open-file limit, which the servers inherit: thousands of sockets need thousands of file
/// descriptors in the generator and in each server.
/// </summary>
public static class FileLimits
{
    private const int OpenFiles = 7; // RLIMIT_NOFILE

    /// <summary>Descriptors a process needs besides its sockets (the runtime, Kestrel, logs, SQLite).</summary>
    public const int Reserve = 400;

    /// <summary>The open-file limit in force (the servers inherit it).</summary>
    public static ulong Current => OperatingSystem.IsLinux() && GetRLimit(OpenFiles, out var current) == 0 ? current.Soft : ulong.MaxValue;

    /// <summary>Why <paramref name="connections"/> sockets cannot fit in one process here, or null when they can.</summary>
    public static string? Problem(int connections) =>
        (ulong)connections + Reserve > Current
            ? $"{connections:N0} connections need about {connections + Reserve:N0} open files in the server and in the generator, but this machine allows {Current:N0} per process (the hard limit, RLIMIT_NOFILE, could not be raised). Use at most {Current - Reserve:N0} connections, or raise the hard limit (ulimit -Hn) first."
            : null;

    /// <summary>Asks for <paramref name="wanted"/> descriptors (root may raise the hard limit too); returns the limit now in force.</summary>
    public static ulong Raise(ulong wanted)
    {
        if (!OperatingSystem.IsLinux() || GetRLimit(OpenFiles, out var current) != 0)
        {
            return 0;
        }

        if (current.Soft >= wanted)
        {
            return current.Soft;
        }

        var raised = new RLimit { Soft = wanted, Hard = Math.Max(wanted, current.Hard) };
        if (SetRLimit(OpenFiles, ref raised) != 0)
        {
            raised = new RLimit { Soft = current.Hard, Hard = current.Hard };
            _ = SetRLimit(OpenFiles, ref raised);
        }

        return GetRLimit(OpenFiles, out current) == 0 ? current.Soft : 0;
    }

    [DllImport("libc", EntryPoint = "getrlimit", SetLastError = true)]
    private static extern int GetRLimit(int resource, out RLimit limit);

    [DllImport("libc", EntryPoint = "setrlimit", SetLastError = true)]
    private static extern int SetRLimit(int resource, ref RLimit limit);

    [StructLayout(LayoutKind.Sequential)]
    private struct RLimit
    {
        public ulong Soft;
        public ulong Hard;
    }
}
