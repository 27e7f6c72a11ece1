using Chat.Testing;
using Chat.Tests.Infrastructure;

namespace Chat.Tests.Scaleout;

/// <summary>
/// A real redis-server on a free loopback port, without persistence, run as the bench runs it (a
/// <see cref="ServerProcess"/>) and killed by process id when disposed. It can be killed and started
/// again on the same port (empty, as after a crash), or frozen with SIGSTOP (a hanging Redis: sockets
/// stay open, nothing answers) and thawed.
/// </summary>
public sealed class RedisServer : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(20);

    private ServerProcess? _process;

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

    /// <summary>Starts redis-server (again) on this port, with no data, as the bench starts it.</summary>
    public async Task RestartAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
        }

        _process = ServerProcess.Start("redis-server", Executable(), RedisCommand.Arguments(Port), Port);
        await _process.WaitUntilReadyAsync(AnswersPingAsync, StartTimeout);
    }

    /// <summary>SIGKILL: Redis is gone, and its data with it.</summary>
    public async Task KillAsync()
    {
        if (_process is not null)
        {
            await _process.KillAsync();
        }
    }

    /// <summary>SIGSTOP: Redis hangs with its connections open.</summary>
    public void Freeze() => Signals.Send(_process!.ProcessId, Signals.SigStop);

    public void Thaw() => Signals.Send(_process!.ProcessId, Signals.SigCont);

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false } process)
        {
            Signals.Send(process.ProcessId, Signals.SigCont);
        }

        if (_process is not null)
        {
            await _process.DisposeAsync();
        }
    }

    private static string Executable() =>
        File.Exists("/usr/bin/redis-server") ? "/usr/bin/redis-server" : "redis-server";

    // Each try gets a second: a server still starting may accept and not yet answer.
    private async Task<bool> AnswersPingAsync(CancellationToken cancellationToken)
    {
        using var attempt = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        attempt.CancelAfter(TimeSpan.FromSeconds(1));
        try
        {
            return await RedisCommand.AnswersPingAsync(Port, attempt.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return false;
        }
    }
}
