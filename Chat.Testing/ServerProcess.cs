using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Chat.Testing;

/// <summary>
/// A process the bench or a test started (a chat server, the baseline hub, Redis) on a free loopback port,
/// optionally pinned to some cores with <c>taskset</c> (which replaces itself with the command, so the
/// process id is the server's own). It can be stopped with SIGTERM or killed; it is killed by process id
/// when disposed, and its temporary folder goes with it.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private const int OutputLines = 200;

    private static readonly HttpClient Http = new(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(5) };

    /// <summary>How often the startup hook writes the server's GC and JIT figures (at most this stale).</summary>
    public static readonly TimeSpan GcStatsInterval = TimeSpan.FromMilliseconds(200);

    /// <summary>Appended to <see cref="GcStatsPath"/>, names the file that asks the startup hook for a full collection.</summary>
    public const string CollectSuffix = ".collect";

    private readonly Process _process;
    private readonly ProcessOutput _output;
    private readonly string? _ownDirectory;
    private int _disposed;

    private ServerProcess(string name, Process process, int port, string? ownDirectory, ProcessOutput output)
    {
        Name = name;
        _process = process;
        Port = port;
        _ownDirectory = ownDirectory;
        _output = output;
    }

    public string Name { get; }

    public int Port { get; }

    public int ProcessId => _process.Id;

    public Uri Address => new($"http://127.0.0.1:{Port}");

    /// <summary>Chat.Server's metrics endpoint (<c>/metrics</c> on its metrics port), or null when it serves none.</summary>
    public Uri? MetricsAddress { get; internal set; }

    public bool HasExited => _process.HasExited;

    /// <summary>The exit code once the process has exited; null while it runs.</summary>
    public int? ExitCode => _process.HasExited ? _process.ExitCode : null;

    /// <summary>What the process printed (its last lines, unless <see cref="Start"/> was given a record to keep), for failure messages.</summary>
    public string Output => _output.Text;

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>
    /// Starts <paramref name="fileName"/> with <paramref name="arguments"/>, under <c>taskset -c <paramref name="cpus"/></c>
    /// when given, recording what it prints in <paramref name="output"/> (by default, a record of its last lines).
    /// </summary>
    public static ServerProcess Start(
        string name,
        string fileName,
        IEnumerable<string> arguments,
        int port,
        string? cpus = null,
        string? workingDirectory = null,
        IReadOnlyDictionary<string, string>? environment = null,
        string? ownDirectory = null,
        string? gcStatsPath = null,
        ProcessOutput? output = null)
    {
        var start = new ProcessStartInfo(cpus is null ? fileName : "taskset")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
            WorkingDirectory = workingDirectory ?? Environment.CurrentDirectory,
        };
        if (cpus is not null)
        {
            start.ArgumentList.Add("-c");
            start.ArgumentList.Add(cpus);
            start.ArgumentList.Add(fileName);
        }

        foreach (var argument in arguments)
        {
            start.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment ?? new Dictionary<string, string>())
        {
            if (value.Length == 0)
            {
                start.Environment.Remove(key);
            }
            else
            {
                start.Environment[key] = value;
            }
        }

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        output ??= new ProcessOutput(OutputLines);
        var server = new ServerProcess(name, process, port, ownDirectory, output) { GcStatsPath = gcStatsPath };
        process.OutputDataReceived += (_, e) => output.Append(e.Data);
        process.ErrorDataReceived += (_, e) => output.Append(e.Data);
        process.Start();
        ChildProcesses.Track(process);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        return server;
    }

    /// <summary>Polls <paramref name="isReady"/> until it answers true, the process exits, or the timeout passes.</summary>
    public async Task WaitUntilReadyAsync(Func<CancellationToken, Task<bool>> isReady, TimeSpan timeout, CancellationToken cancellationToken = default)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        while (true)
        {
            if (_process.HasExited)
            {
                throw new InvalidOperationException($"{Name} exited with {_process.ExitCode} while starting:\n{Output}");
            }

            try
            {
                if (await isReady(deadline.Token))
                {
                    return;
                }

                await Task.Delay(100, deadline.Token);
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                throw new TimeoutException($"{Name} was not ready within {timeout}:\n{Output}");
            }
        }
    }

    /// <summary>Waits until Chat.Server answers its liveness check, <c>/healthz</c>.</summary>
    public Task WaitUntilHealthyAsync(TimeSpan timeout, CancellationToken cancellationToken = default) =>
        WaitUntilReadyAsync(token => AnswersAsync("/healthz", token), timeout, cancellationToken);

    /// <summary>SIGTERM, as an orchestrator stops a server, then waits for it to exit; killed if it takes longer than <paramref name="timeout"/>.</summary>
    public async Task StopAsync(TimeSpan timeout)
    {
        if (_process.HasExited)
        {
            return;
        }

        try
        {
            Signals.Send(_process.Id, Signals.SigTerm);
        }
        catch (InvalidOperationException) when (_process.HasExited)
        {
            return;
        }

        using var deadline = new CancellationTokenSource(timeout);
        try
        {
            await _process.WaitForExitAsync(deadline.Token);
        }
        catch (OperationCanceledException)
        {
            _process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{Name} did not stop within {timeout} of SIGTERM:\n{Output}");
        }
    }

    /// <summary>SIGKILL: the process dies without saying goodbye.</summary>
    public async Task KillAsync()
    {
        if (!_process.HasExited)
        {
            _process.Kill(entireProcessTree: true);
        }

        await _process.WaitForExitAsync();
    }

    /// <summary>Where the server's startup hook writes its GC figures, or null when it has no hook.</summary>
    public string? GcStatsPath { get; init; }

    public ProcessSample Sample()
    {
        try
        {
            return ProcessSample.Read(_process.Id);
        }
        catch (IOException) when (_process.HasExited)
        {
            throw new InvalidOperationException($"{Name} exited with {_process.ExitCode} during the run:\n{Output}");
        }
    }

    /// <summary>
    /// Asks the server (through its startup hook) for a full compacting GC that gives free memory back,
    /// and waits until it is done; false when the server has no hook or did not answer in time.
    /// </summary>
    public async Task<bool> CollectGarbageAsync(CancellationToken cancellationToken = default)
    {
        if (GcStatsPath is null)
        {
            return false;
        }

        var trigger = GcStatsPath + CollectSuffix;
        await File.WriteAllTextAsync(trigger, string.Empty, cancellationToken);
        for (var waited = 0; waited < 300 && File.Exists(trigger); waited++)
        {
            await Task.Delay(100, cancellationToken);
        }

        if (File.Exists(trigger))
        {
            return false;
        }

        // The system takes a moment to show the returned pages in VmRSS.
        await Task.Delay(500, cancellationToken);
        return true;
    }

    public GcSample SampleGc() => GcStatsPath is null ? GcSample.Empty : GcSample.Read(GcStatsPath);

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
            }

            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await _process.WaitForExitAsync(timeout.Token);
        }
        catch (Exception ex) when (ex is InvalidOperationException or OperationCanceledException)
        {
        }

        ChildProcesses.Forget(_process);
        _process.Dispose();
        if (_ownDirectory is not null)
        {
            try
            {
                Directory.Delete(_ownDirectory, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }

    /// <summary>True when a GET of <paramref name="path"/> on this process's port answers with success; false while it refuses or is still starting.</summary>
    public async Task<bool> AnswersAsync(string path, CancellationToken cancellationToken)
    {
        try
        {
            using var response = await Http.GetAsync(new Uri(Address, path), cancellationToken);
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException)
        {
            return false;
        }
        catch (TaskCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The request's own timeout: a server still starting may accept and not yet answer.
            return false;
        }
    }
}
