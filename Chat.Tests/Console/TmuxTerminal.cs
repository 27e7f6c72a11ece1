using System.Diagnostics;
using Chat.Testing;
using Chat.Tests.Infrastructure;

namespace Chat.Tests.Console;

/// <summary>
/// The console client in a real terminal: a tmux server of its own (private socket) runs it in a pane of
/// a fixed size; the test types with send-keys and reads the screen with capture-pane. The tmux server
/// and the client are killed by process id when disposed.
/// </summary>
internal sealed class TmuxTerminal : IAsyncDisposable
{
    private const string ExitMarker = "console client exited with ";

    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(15);

    private readonly TemporaryDirectory _directory = new();
    private readonly List<Process> _processes = [];

    private string Socket => _directory.File("tmux.sock");

    public static bool IsAvailable { get; } = FindTmux() is not null;

    /// <summary>Starts the console client with <paramref name="arguments"/> in a <paramref name="width"/> x <paramref name="height"/> terminal.</summary>
    public static async Task<TmuxTerminal> StartAsync(int width, int height, params string[] arguments)
    {
        var terminal = new TmuxTerminal();

        // The shell prints the client's exit code on the screen, where the test can read it; the pane
        // stays after the shell exits so the screen can still be read.
        var configuration = terminal._directory.File("tmux.conf");
        await File.WriteAllTextAsync(configuration, "set -g remain-on-exit on\nset -g status off\n");
        var command = string.Join(' ', new[] { "dotnet", RepositoryPaths.ConsoleClientAssembly }.Concat(arguments).Select(Quote))
            + $"; echo \"{ExitMarker}$?\"";
        await terminal.TmuxAsync("-f", configuration, "new-session", "-d", "-s", "chat", "-x", $"{width}", "-y", $"{height}", command);
        foreach (var format in new[] { "#{pid}", "#{pane_pid}" })
        {
            var id = int.Parse((await terminal.TmuxAsync("display-message", "-p", "-t", "chat", format)).Trim());
            var process = Process.GetProcessById(id);
            terminal._processes.Add(process);
            ChildProcesses.Track(process);
        }

        return terminal;
    }

    /// <summary>Types text as keystrokes, each character as it is.</summary>
    public Task TypeAsync(string text) => TmuxAsync("send-keys", "-t", "chat", "-l", text);

    /// <summary>Presses named keys (Enter, Left, C-u…).</summary>
    public Task PressAsync(params string[] keys) => TmuxAsync(["send-keys", "-t", "chat", .. keys]);

    /// <summary>The rows of the screen as a person sees them, without the blank ones at the bottom.</summary>
    public async Task<IReadOnlyList<string>> ScreenAsync()
    {
        var rows = (await TmuxAsync("capture-pane", "-p", "-t", "chat")).TrimEnd('\n').Split('\n').Select(row => row.TrimEnd()).ToList();
        while (rows.Count > 0 && rows[^1].Length == 0)
        {
            rows.RemoveAt(rows.Count - 1);
        }

        return rows;
    }

    public async Task<(int Column, int Row)> CursorAsync()
    {
        var position = (await TmuxAsync("display-message", "-p", "-t", "chat", "#{cursor_x} #{cursor_y}")).Trim().Split(' ');
        return (int.Parse(position[0]), int.Parse(position[1]));
    }

    /// <summary>
    /// Waits until the screen satisfies <paramref name="condition"/>. A terminal has no event to await,
    /// so the screen is read again every 50 ms until the condition holds or the time is up.
    /// </summary>
    public async Task<IReadOnlyList<string>> WaitForScreenAsync(Func<IReadOnlyList<string>, bool> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? DefaultTimeout);
        while (true)
        {
            var screen = await ScreenAsync();
            if (condition(screen))
            {
                return screen;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Waited {timeout ?? DefaultTimeout} for {what}; the screen shows:\n{string.Join('\n', screen)}");
            }

            await Task.Delay(50);
        }
    }

    /// <summary>Waits for the client in the pane to exit and returns its exit code.</summary>
    public async Task<int> WaitForExitAsync(TimeSpan? timeout = null)
    {
        var screen = await WaitForScreenAsync(rows => rows.Any(row => row.StartsWith(ExitMarker, StringComparison.Ordinal)), "the client to exit", timeout);
        return int.Parse(screen.First(row => row.StartsWith(ExitMarker, StringComparison.Ordinal))[ExitMarker.Length..]);
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var process in _processes)
        {
            try
            {
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                    await process.WaitForExitAsync();
                }
            }
            catch (InvalidOperationException)
            {
            }

            process.Dispose();
        }

        _directory.Dispose();
    }

    private static string? FindTmux() =>
        (Environment.GetEnvironmentVariable("PATH") ?? "").Split(Path.PathSeparator)
            .Select(directory => Path.Combine(directory, "tmux"))
            .FirstOrDefault(File.Exists);

    private static string Quote(string argument) => "'" + argument.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    private async Task<string> TmuxAsync(params string[] arguments)
    {
        var start = new ProcessStartInfo(FindTmux() ?? "tmux")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add("-S");
        start.ArgumentList.Add(Socket);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        // The client in the pane should see a plain terminal, whatever the test run's environment says.
        start.Environment.Remove("NO_COLOR");
        start.Environment.Remove("CHAT_SERVER");
        start.Environment.Remove("TMUX");
        start.Environment["TERM"] = "xterm-256color";

        using var process = Process.Start(start)!;
        using var timeout = new CancellationTokenSource(DefaultTimeout);
        var output = process.StandardOutput.ReadToEndAsync(timeout.Token);
        var errors = process.StandardError.ReadToEndAsync(timeout.Token);
        await process.WaitForExitAsync(timeout.Token);
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"tmux {string.Join(' ', arguments)} failed ({process.ExitCode}): {await errors}");
        }

        return await output;
    }
}
