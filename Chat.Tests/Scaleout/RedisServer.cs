using System.Diagnostics;
using System.Net.Sockets;
using System.Text;
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
        foreach (var argument in new[] { "--port", Port.ToString(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no", "--protected-mode", "no" })
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
        try
        {
            using var client = new TcpClient();
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(1));
            await client.ConnectAsync("127.0.0.1", Port, timeout.Token);
            var stream = client.GetStream();
            await stream.WriteAsync(Encoding.ASCII.GetBytes("PING\r\n"), timeout.Token);
            var buffer = new byte[16];
            var read = await stream.ReadAsync(buffer, timeout.Token);
            return Encoding.ASCII.GetString(buffer, 0, read).StartsWith("+PONG", StringComparison.Ordinal);
        }
        catch (Exception ex) when (ex is SocketException or IOException or OperationCanceledException)
        {
            return false;
        }
    }
}
