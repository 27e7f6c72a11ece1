using System.Collections.Concurrent;
using System.Diagnostics;

namespace Chat.Tests.Infrastructure;

/// <summary>
/// Every process a test starts, killed by process id when the test run ends, in case a test died before
/// disposing what it started.
/// </summary>
public static class ProcessRegistry
{
    private static readonly ConcurrentDictionary<int, Process> Running = new();

    static ProcessRegistry()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) => KillAll();
    }

    public static void Track(Process process)
    {
        Running[process.Id] = process;
        process.Exited += (_, _) => Running.TryRemove(process.Id, out _);
    }

    public static void KillAll()
    {
        foreach (var process in Running.Values)
        {
            try
            {
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                }
            }
            catch (InvalidOperationException)
            {
            }
        }
    }
}
