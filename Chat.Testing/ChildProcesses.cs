using System.Collections.Concurrent;
using System.Diagnostics;

namespace Chat.Testing;

/// <summary>
/// Every process the bench (or a test) starts, killed by process id when this process exits however it
/// exits (normal end, failure, Ctrl+C, SIGTERM), so no server outlives a run, even one whose owner died
/// before disposing it.
/// </summary>
public static class ChildProcesses
{
    private static readonly ConcurrentDictionary<int, Process> Running = new();

    static ChildProcesses()
    {
        AppDomain.CurrentDomain.ProcessExit += (_, _) => KillAll();
    }

    public static void Track(Process process)
    {
        Running[process.Id] = process;
        process.Exited += (_, _) => Running.TryRemove(process.Id, out _);
    }

    public static void Forget(Process process) => Running.TryRemove(process.Id, out _);

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
