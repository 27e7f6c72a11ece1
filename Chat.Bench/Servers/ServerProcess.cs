using System.Collections.Concurrent;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace Chat.Bench.Servers;

/// <summary>
/// A process the bench started (a chat server, the baseline hub, Redis) on a free loopback port,
/// optionally pinned to some cores with <c>taskset</c> (which replaces itself with the command, so the
/// process id is the server's own). Killed by process id when disposed; its temporary folder goes with it.
/// </summary>
public sealed class ServerProcess : IAsyncDisposable
{
    private const int OutputLines = 200;

    /// <summary>How often the startup hook writes the server's GC and JIT figures (at most this stale).</summary>
    public static readonly TimeSpan GcStatsInterval = TimeSpan.FromMilliseconds(200);

    private readonly Process _process;
    private readonly ConcurrentQueue<string> _output = new();
    private readonly string? _ownDirectory;

    private ServerProcess(string name, Process process, int port, string? ownDirectory)
    {
        Name = name;
        _process = process;
        Port = port;
        _ownDirectory = ownDirectory;
    }

    public string Name { get; }

    public int Port { get; }

    public int ProcessId => _process.Id;

    public Uri Address => new($"http://127.0.0.1:{Port}");

    public bool HasExited => _process.HasExited;

    /// <summary>The last lines the process printed, for failure messages.</summary>
    public string Output => string.Join('\n', _output);

    public static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>Starts <paramref name="fileName"/> with <paramref name="arguments"/>, under <c>taskset -c <paramref name="cpus"/></c> when given.</summary>
    public static ServerProcess Start(
        string name,
        string fileName,
        IEnumerable<string> arguments,
        int port,
        string? cpus = null,
        string? workingDirectory = null,
        IReadOnlyDictionary<string, string>? environment = null,
        string? ownDirectory = null,
        string? gcStatsPath = null)
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
            start.Environment[key] = value;
        }

        var process = new Process { StartInfo = start, EnableRaisingEvents = true };
        var server = new ServerProcess(name, process, port, ownDirectory) { GcStatsPath = gcStatsPath };
        process.OutputDataReceived += (_, e) => server.Append(e.Data);
        process.ErrorDataReceived += (_, e) => server.Append(e.Data);
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

        var trigger = GcStatsPath + StartupHook.CollectSuffix;
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

    private void Append(string? line)
    {
        if (line is null)
        {
            return;
        }

        _output.Enqueue(line);
        while (_output.Count > OutputLines)
        {
            _output.TryDequeue(out _);
        }
    }
}
