using System.Diagnostics;
using Chat.Bench.Servers;
using Chat.Tests.Infrastructure;

namespace Chat.Tests.Scaleout;

/// <summary>
/// A real redis-server on a free loopback port, without persistence, killed by process id when
/// disposed. It can be killed and started again on the same port (empty, as after a crash), or frozen
/// with SIGSTOP (a hanging Redis: sockets stay open, nothing answers) and thawed.
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(20);

    private Process? _process;

    private RedisServer(int port)
    {
        Port = port;
    }

    public int Port { get; }

    /// <summary>The StackExchange.Redis configuration string for this server.</summary>
    public string Configuration => $"127.0.0.1:{Port}";

    public static async Task<RedisServer> StartAsync()
    {
        var server = new RedisServer(FreePort.Next());
        await server.RestartAsync();
        return server;
    }

    /// <summary>Starts redis-server (again) on this port, with no data.</summary>
    public async Task RestartAsync()
    {
        var start = new ProcessStartInfo(Executable())
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in RedisCommand.Arguments(Port))
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException("redis-server did not start.");
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        ChildProcesses.Track(process);
        _process = process;

        using var timeout = new CancellationTokenSource(StartTimeout);
        while (!await AnswersPingAsync())
        {
            if (process.HasExited)
            {
                throw new InvalidOperationException($"redis-server exited with {process.ExitCode} on port {Port}.");
            }

            await Task.Delay(50, timeout.Token);
        }
    }

    /// <summary>SIGKILL: Redis is gone, and its data with it.</summary>
    public async Task KillAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill();
            await process.WaitForExitAsync();
        }
    }

    /// <summary>SIGSTOP: Redis hangs with its connections open.</summary>
    public void Freeze() => Signals.Send(_process!.Id, Signals.SigStop);

    public void Thaw() => Signals.Send(_process!.Id, Signals.SigCont);

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false } process)
        {
            Signals.Send(process.Id, Signals.SigCont);
        }

        await KillAsync();
        _process?.Dispose();
    }

    private static string Executable() =>
        File.Exists("/usr/bin/redis-server") ? "/usr/bin/redis-server" : "redis-server";

    private async Task<bool> AnswersPingAsync()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(1));
        try
        {
            return await RedisCommand.AnswersPingAsync(Port, timeout.Token);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
