using System.Diagnostics;
using System.Text;
using Chat.Bench.Servers;

namespace Chat.Tests.Infrastructure;

/// <summary>
/// A real Chat.Server process on a free loopback port, with its own SQLite file unless told otherwise.
/// It can be stopped gracefully (SIGTERM), killed, and started again on the same port and database,
/// and is always killed by process id when disposed.
/// </summary>
public sealed class ChatServerProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(5) };

    private readonly TemporaryDirectory? _ownDirectory;
    private readonly IReadOnlyDictionary<string, string> _settings;
    private readonly StringBuilder _output = new();
    private TaskCompletionSource _outputChanged = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Process? _process;

    private ChatServerProcess(int port, string databasePath, IReadOnlyDictionary<string, string> settings, TemporaryDirectory? ownDirectory)
    {
        Port = port;
        DatabasePath = databasePath;
        _settings = settings;
        _ownDirectory = ownDirectory;
    }

    public int Port { get; }

    public Uri Address => new($"http://127.0.0.1:{Port}");

    public string DatabasePath { get; }

    public int? ProcessId => _process is { HasExited: false } process ? process.Id : null;

    /// <summary>What the server printed so far, for failure messages.</summary>
    public string Output
    {
        get
        {
            lock (_output)
            {
                return _output.ToString();
            }
        }
    }

    /// <summary>Waits until the server has printed <paramref name="text"/>.</summary>
    public async Task WaitForOutputAsync(string text, TimeSpan? timeout = null)
    {
        using var cancel = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(10));
        while (true)
        {
            Task changed;
            lock (_output)
            {
                if (_output.ToString().Contains(text, StringComparison.Ordinal))
                {
                    return;
                }

                changed = _outputChanged.Task;
            }

            try
            {
                await changed.WaitAsync(cancel.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"The server did not print \"{text}\":\n{Output}");
            }
        }
    }

    /// <param name="settings">Configuration keys (e.g. <c>Chat:Limits:MaxRoomsPerConnection</c>) passed on the command line.</param>
    public static async Task<ChatServerProcess> StartAsync(string? databasePath = null, IReadOnlyDictionary<string, string>? settings = null, int? port = null)
    {
        var directory = databasePath is null ? new TemporaryDirectory() : null;
        var server = new ChatServerProcess(port ?? FreePort.Next(), databasePath ?? directory!.File("chat.db"), settings ?? new Dictionary<string, string>(), directory);
        await server.StartAsync();
        return server;
    }

    /// <summary>Starts the server (again) on the same port and database.</summary>
    public async Task StartAsync()
    {
        if (ProcessId is not null)
        {
            throw new InvalidOperationException("The server is already running.");
        }

        if (!File.Exists(RepositoryPaths.ServerAssembly))
        {
            throw new InvalidOperationException($"Build the solution first: {RepositoryPaths.ServerAssembly} is missing.");
        }

        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = Path.GetDirectoryName(RepositoryPaths.ServerAssembly)!,
        };
        start.ArgumentList.Add(RepositoryPaths.ServerAssembly);
        start.ArgumentList.Add("--urls");
        start.ArgumentList.Add(Address.ToString().TrimEnd('/'));
        start.ArgumentList.Add($"--Chat:History:SqlitePath={DatabasePath}");
        foreach (var (key, value) in _settings)
        {
            start.ArgumentList.Add($"--{key}={value}");
        }

        start.Environment["DOTNET_ENVIRONMENT"] = "Production";
        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
        start.Environment["Logging__Console__FormatterName"] = "simple";

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        process.OutputDataReceived += (_, e) => Append(e.Data);
        process.ErrorDataReceived += (_, e) => Append(e.Data);
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _process = process;
        ChildProcesses.Track(process);

        using var timeout = new CancellationTokenSource(StartTimeout);
        while (true)
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"Chat.Server exited with {process.ExitCode} while starting:\n{Output}");
            }

            try
            {
                using var response = await Http.GetAsync(new Uri(Address, "/healthz"), timeout.Token);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
            }
            catch (OperationCanceledException) when (timeout.IsCancellationRequested)
            {
                throw new TimeoutException($"Chat.Server did not answer /healthz within {StartTimeout}:\n{Output}");
            }

            await Task.Delay(50, timeout.Token);
        }
    }

    /// <summary>SIGTERM, as an orchestrator stops a server, then waits for it to exit.</summary>
    public async Task StopAsync()
    {
        if (_process is not { HasExited: false } process)
        {
            return;
        }

        Signals.Send(process.Id, Signals.SigTerm);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            await process.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"Chat.Server did not stop within 30 s of SIGTERM:\n{Output}");
        }
    }

    /// <summary>SIGKILL: the server dies without saying goodbye.</summary>
    public async Task KillAsync()
    {
        if (_process is not { HasExited: false } process)
        {
            return;
        }

        process.Kill(entireProcessTree: true);
        await process.WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await KillAsync();
        _process?.Dispose();
        _ownDirectory?.Dispose();
    }

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        TaskCompletionSource changed;
        lock (_output)
        {
            _output.AppendLine(line);
            changed = _outputChanged;
            _outputChanged = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        }

        changed.TrySetResult();
    }
}
