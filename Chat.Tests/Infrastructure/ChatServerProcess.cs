using Chat.Testing;

namespace Chat.Tests.Infrastructure;

/// <summary>
/// A real Chat.Server process on a free loopback port, with its own SQLite file unless told otherwise.
/// It can be stopped gracefully (SIGTERM), killed, and started again on the same port and database,
/// and is always killed by process id when disposed. Each run is a <see cref="ServerProcess"/> started
/// as the bench starts it; the output of every run is kept in one record.
/// </summary>
public sealed class ChatServerProcess : IAsyncDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan StopTimeout = TimeSpan.FromSeconds(30);

    /// <summary>Plain one-line log entries, which the tests search.</summary>
    private static readonly IReadOnlyDictionary<string, string> LogEnvironment = new Dictionary<string, string>
    {
        ["Logging__Console__FormatterName"] = "simple",
    };

    private readonly TemporaryDirectory? _ownDirectory;
    private readonly ChatServerCommand _command;
    private readonly ProcessOutput _output = new();
    private ServerProcess? _process;

    private ChatServerProcess(ChatServerCommand command, TemporaryDirectory? ownDirectory)
    {
        _command = command;
        _ownDirectory = ownDirectory;
    }

    public int Port => _command.Port;

    public Uri Address => new($"http://127.0.0.1:{Port}");

    public string DatabasePath => _command.DatabasePath;

    public int? ProcessId => _process is { HasExited: false } process ? process.ProcessId : null;

    /// <summary>The last run's exit code once it has exited; null while it runs or before it started.</summary>
    public int? ExitCode => _process?.ExitCode;

    /// <summary>What the server printed so far, for failure messages.</summary>
    public string Output => _output.Text;

    /// <summary>Waits until the server has printed <paramref name="text"/>.</summary>
    public Task WaitForOutputAsync(string text, TimeSpan? timeout = null) =>
        _output.WaitForAsync(text, timeout ?? TimeSpan.FromSeconds(10), "The server");

    /// <param name="settings">Configuration keys (e.g. <c>Chat:Limits:MaxRoomsPerConnection</c>) passed on the command line.</param>
    /// <param name="path">The way hub WebSockets take; the direct path is the server's default.</param>
    /// <param name="environment">More environment variables (e.g. OpenTelemetry's <c>OTEL_*</c>).</param>
    public static async Task<ChatServerProcess> StartAsync(
        string? databasePath = null,
        IReadOnlyDictionary<string, string>? settings = null,
        int? port = null,
        WebSocketPath path = WebSocketPath.Direct,
        IReadOnlyDictionary<string, string>? environment = null)
    {
        var directory = databasePath is null ? new TemporaryDirectory() : null;
        var configuration = new Dictionary<string, string>(settings ?? new Dictionary<string, string>());
        if (path == WebSocketPath.Http)
        {
            configuration["Chat:Transport:DirectWebSockets"] = "false";
        }

        var command = new ChatServerCommand(RepositoryPaths.ServerAssembly, port ?? FreePort.Next(), databasePath ?? directory!.File("chat.db"))
        {
            Settings = configuration,
            EnvironmentVariables = new Dictionary<string, string>([.. LogEnvironment, .. environment ?? new Dictionary<string, string>()]),
        };
        var server = new ChatServerProcess(command, directory);
        await server.StartAsync();
        await ExpectPathAsync(server.Address, path);
        return server;
    }

    /// <summary>
    /// A suite run "on the HTTP path" that silently took the direct one would prove nothing: the two
    /// answer an upgrade differently (Kestrel names itself in a Server header, the direct path does not).
    /// </summary>
    private static async Task ExpectPathAsync(Uri address, WebSocketPath path)
    {
        await using var probe = await Transport.WireSocket.UpgradeAsync(address);
        var answeredByKestrel = probe.Response.Contains("\r\nServer: Kestrel\r\n", StringComparison.OrdinalIgnoreCase);
        if (!probe.Response.StartsWith("HTTP/1.1 101 ", StringComparison.Ordinal) || answeredByKestrel != (path == WebSocketPath.Http))
        {
            throw new InvalidOperationException($"The server was to take hub WebSockets on the {path} path, but answered:\n{probe.Response}");
        }
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

        if (_process is not null)
        {
            await _process.DisposeAsync();
        }

        _process = _command.Start("Chat.Server", output: _output);
        await _process.WaitUntilHealthyAsync(StartTimeout);
    }

    /// <summary>SIGTERM, as an orchestrator stops a server, then waits for it to exit.</summary>
    public async Task StopAsync()
    {
        if (_process is not null)
        {
            await _process.StopAsync(StopTimeout);
        }
    }

    /// <summary>SIGKILL: the server dies without saying goodbye.</summary>
    public async Task KillAsync()
    {
        if (_process is not null)
        {
            await _process.KillAsync();
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is not null)
        {
            await _process.DisposeAsync();
        }

        _ownDirectory?.Dispose();
    }
}
