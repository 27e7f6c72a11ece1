using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Chat.Bench.Servers;

/// <summary>
/// Puts the generator on its own cores. The bench starts itself again under
/// <c>taskset -c CPUS</c> (marked by an environment variable) rather than moving its threads after
/// the fact, so the runtime sizes its thread pool and GC for the cores it really has.
/// </summary>
public static class CpuPinning
{
    private const string PinnedVariable = "CHAT_BENCH_PINNED";

    public static bool IsPinned => Environment.GetEnvironmentVariable(PinnedVariable) == "1";

    /// <summary>Runs this same command line under taskset and returns its exit code.</summary>
    public static async Task<int> RerunPinnedAsync(string cpus, string[] args)
    {
        var start = new ProcessStartInfo("taskset") { UseShellExecute = false };
        start.ArgumentList.Add("-c");
        start.ArgumentList.Add(cpus);
        var host = Environment.ProcessPath ?? "dotnet";
        start.ArgumentList.Add(host);
        if (Path.GetFileNameWithoutExtension(host) == "dotnet")
        {
            start.ArgumentList.Add(typeof(CpuPinning).Assembly.Location);
        }

        foreach (var argument in args)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment[PinnedVariable] = "1";
        using var process = Process.Start(start) ?? throw new InvalidOperationException("taskset did not start.");

        // Ctrl+C reaches the pinned run too (same process group); it cleans up, this one waits for it.
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, context => context.Cancel = true);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, context =>
        {
            context.Cancel = true;
            Kill(process.Id, 15);
        });
        await process.WaitForExitAsync();
        return process.ExitCode;
    }

    [DllImport("libc", EntryPoint = "kill")]
    private static extern int Kill(int processId, int signal);
}
