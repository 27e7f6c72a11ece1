using System.Diagnostics;
using System.Text;
using System.Text.RegularExpressions;
using Chat.Testing;
using Chat.Tests.Infrastructure;

namespace Chat.Tests.Console;

/// <summary>
/// The real console client as its own process, with stdin and stdout piped as a script would use it.
/// Every output line is recorded for the test to await; the process is killed by id when disposed.
/// </summary>
internal sealed class ConsoleClientProcess : IAsyncDisposable
{
    public const int SigInt = 2;

    private static readonly TimeSpan ExitTimeout = TimeSpan.FromSeconds(15);

    private readonly Process _process;

    private ConsoleClientProcess(Process process)
    {
        _process = process;
    }

    public EventRecorder<string> Output { get; } = new();

    public EventRecorder<string> Errors { get; } = new();

    public int ProcessId => _process.Id;

    /// <summary>Starts the client; <paramref name="arguments"/> are its command line (name, --server, --room).</summary>
    public static ConsoleClientProcess Start(params string[] arguments) => StartWith(serverVariable: null, arguments);

    /// <summary>Starts the client for <paramref name="server"/> with a nickname and any further arguments.</summary>
    public static ConsoleClientProcess Start(Uri server, string nickname, params string[] arguments) =>
        Start([nickname, "--server", server.ToString(), .. arguments]);

    /// <summary>Starts the client with <c>CHAT_SERVER</c> set to <paramref name="serverVariable"/> (null: unset).</summary>
    public static ConsoleClientProcess StartWith(string? serverVariable, params string[] arguments) =>
        StartWith(serverVariable, passwordVariable: null, arguments);

    /// <summary>Starts the client for <paramref name="server"/> as <paramref name="username"/> with <c>CHAT_PASSWORD</c> set.</summary>
    public static ConsoleClientProcess StartWithPassword(Uri server, string username, string password, params string[] arguments) =>
        StartWith(serverVariable: null, passwordVariable: password, [username, "--server", server.ToString(), .. arguments]);

    /// <summary>Starts the client with <c>CHAT_SERVER</c> and <c>CHAT_PASSWORD</c> set as given (null: unset).</summary>
    public static ConsoleClientProcess StartWith(string? serverVariable, string? passwordVariable, params string[] arguments)
    {
        if (!File.Exists(RepositoryPaths.ConsoleClientAssembly))
        {
            throw new InvalidOperationException($"Build the solution first: {RepositoryPaths.ConsoleClientAssembly} is missing.");
        }

        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            StandardInputEncoding = new UTF8Encoding(false),
            StandardOutputEncoding = Encoding.UTF8,
            StandardErrorEncoding = Encoding.UTF8,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(RepositoryPaths.ConsoleClientAssembly);
        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment.Remove("CHAT_SERVER");
        if (serverVariable is not null)
        {
            start.Environment["CHAT_SERVER"] = serverVariable;
        }

        start.Environment.Remove("CHAT_PASSWORD");
        if (passwordVariable is not null)
        {
            start.Environment["CHAT_PASSWORD"] = passwordVariable;
        }

        var client = new ConsoleClientProcess(new Process { StartInfo = start, EnableRaisingEvents = true });
        client._process.OutputDataReceived += (_, e) => Record(client.Output, e.Data);
        client._process.ErrorDataReceived += (_, e) => Record(client.Errors, e.Data);
        client._process.Start();
        ChildProcesses.Track(client._process);
        client._process.BeginOutputReadLine();
        client._process.BeginErrorReadLine();
        client._process.StandardInput.AutoFlush = true;
        return client;
    }

    /// <summary>Types a line, as a script piping into the client would.</summary>
    public Task SendAsync(string line) => _process.StandardInput.WriteLineAsync(line);

    /// <summary>Ends the input, as the end of a piped script does.</summary>
    public void CloseInput() => _process.StandardInput.Close();

    /// <summary>The first output line matching <paramref name="pattern"/> (a regular expression), waiting for it.</summary>
    public Task<string> WaitForLineAsync(string pattern, TimeSpan? timeout = null) =>
        Output.WaitForAsync(line => Regex.IsMatch(line, pattern), timeout);

    /// <summary>The exact output line <paramref name="line"/>, waiting for it.</summary>
    public Task<string> WaitForExactLineAsync(string line, TimeSpan? timeout = null) =>
        Output.WaitForAsync(candidate => candidate == line, timeout);

    public async Task<int> WaitForExitAsync()
    {
        using var timeout = new CancellationTokenSource(ExitTimeout);
        try
        {
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"The console client did not exit within {ExitTimeout}. Output:\n{Transcript}");
        }

        return _process.ExitCode;
    }

    public void Signal(int signal) => Signals.Send(_process.Id, signal);

    /// <summary>Everything it printed, for failure messages.</summary>
    public string Transcript => string.Join('\n', Output.Items) + "\nstderr:\n" + string.Join('\n', Errors.Items);

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }
        catch (InvalidOperationException)
        {
        }

        _process.Dispose();
    }

    private static void Record(EventRecorder<string> recorder, string? line)
    {
        if (line is not null)
        {
            recorder.Add(line);
        }
    }
}
