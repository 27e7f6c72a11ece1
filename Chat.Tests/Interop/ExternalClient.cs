using System.Diagnostics;
using System.Text;
using System.Text.Json;
using Chat.Testing;
using Chat.Tests.Infrastructure;

namespace Chat.Tests.Interop;

/// <summary>
/// Runs a WebSocket client we did not write (a Python or Node script under Chat.Tests/Interop) for one
/// scenario and returns the JSON line it prints: what the client library reported. The process is
/// tracked, and killed by its id if it outlives the run.
/// </summary>
internal static class ExternalClient
{
    // Each script waits at most 10 s for any one thing; this bounds the whole run.
    private static readonly TimeSpan RunTimeout = TimeSpan.FromSeconds(30);

    public static string Directory(string name) => Path.Combine(RepositoryPaths.Root, "Chat.Tests", "Interop", name);

    public static async Task<JsonElement> RunAsync(string fileName, string workingDirectory, params string[] arguments)
    {
        var start = new ProcessStartInfo(fileName)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        var output = new ProcessOutput();
        var errors = new ProcessOutput();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => output.Append(e.Data);
        process.ErrorDataReceived += (_, e) => errors.Append(e.Data);
        process.Start();
        ChildProcesses.Track(process);
        try
        {
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            using var timeout = new CancellationTokenSource(RunTimeout);
            try
            {
                await process.WaitForExitAsync(timeout.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"{Describe(start)} did not finish within {RunTimeout}:\n{output}\n{errors}");
            }

            var lines = output.Text.Split('\n', StringSplitOptions.RemoveEmptyEntries);
            if (process.ExitCode != 0 || lines.Length == 0)
            {
                throw new InvalidOperationException($"{Describe(start)} exited with {process.ExitCode}:\n{output}\n{errors}");
            }

            return JsonDocument.Parse(lines[^1]).RootElement.Clone();
        }
        finally
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
            }

            ChildProcesses.Forget(process);
        }
    }

    private static string Describe(ProcessStartInfo start) => $"{start.FileName} {string.Join(' ', start.ArgumentList)}";
}
