using System.CommandLine;
using Chat.Bench.Servers;
using Chat.Testing;

namespace Chat.Bench;

/// <summary>The entry point: raise the file limit, re-run pinned when asked, then the command table.</summary>
internal static class Program
{
    private static async Task<int> Main(string[] args)
    {
        var commands = new BenchCommands();
        var parsed = commands.Root.Parse(args);
        if (parsed.Errors.Count == 0 && parsed.GetValue(commands.Pin) && !CpuPinning.IsPinned)
        {
            return await CpuPinning.RerunPinnedAsync(parsed.GetValue(commands.GeneratorCpus)!, args);
        }

        FileLimits.Raise(200_000);

        // Ctrl+C cancels the run's token; the run kills its servers on the way out.
        return await parsed.InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = TimeSpan.FromSeconds(20) });
    }
}
