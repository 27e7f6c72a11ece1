using Chat.Bench.Load;
using Chat.Testing;

namespace Chat.Bench.Servers;

/// <summary>
/// Starts the servers a scenario measures, each as its own process on a free loopback port: our
/// Chat.Server (its build output, a fresh SQLite file in a temporary folder, the rate limits raised for
/// load), the bare baseline hub (this program's <c>serve-bare</c> mode), and redis-server.
/// </summary>
public sealed class ServerLauncher(LaunchSettings settings)
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);

    /// <summary>Our limits are for people; the benchmark's users send far faster than a person.</summary>
    public static IReadOnlyDictionary<string, string> RaisedLimits { get; } = new Dictionary<string, string>
    {
        ["Chat:Limits:SendsPerSecond"] = "100000",
        ["Chat:Limits:SendBurst"] = "100000",
        ["Chat:Limits:InboundMessagesPerSecond"] = "1000000",
        ["Chat:Limits:InboundBurst"] = "1000000",
        ["Chat:Limits:JoinsPerSecond"] = "100000",
        ["Chat:Limits:JoinBurst"] = "100000",
    };

    public LaunchSettings Settings { get; } = settings;

    private string? Cpus => Settings.Pin ? Settings.ServerCpus : null;

    /// <summary>The environment variables our server gets besides the bench's own: its launch profile's, changed by <c>--server-env</c>.</summary>
    public IReadOnlyDictionary<string, string> OursEnvironment =>
        LaunchProfile.With(EnvironmentOverrides()).Where(pair => pair.Value.Length > 0).ToDictionary();

    /// <summary>
    /// Chat.Server with every feature on and SQLite history; <paramref name="extraSettings"/> are more
    /// <c>Key=Value</c> settings. Its metrics pipeline (the OpenTelemetry meter provider and the Prometheus
    /// endpoint) runs only with <see cref="LaunchSettings.Metrics"/>, on a free port.
    /// </summary>
    public async Task<ServerProcess> StartOursAsync(IReadOnlyDictionary<string, string>? extraSettings = null, string name = "ours", CancellationToken cancellationToken = default)
    {
        var serverDll = BuildOutput.ServerAssembly(Settings.ServerDll);
        var directory = Directory.CreateTempSubdirectory("chat-bench-").FullName;
        var configuration = new Dictionary<string, string>(RaisedLimits)
        {
            [ChatServerCommand.MetricsPortKey] = Settings.Metrics ? ServerProcess.FreePort().ToString(System.Globalization.CultureInfo.InvariantCulture) : "0",
        };
        foreach (var (key, value) in extraSettings ?? new Dictionary<string, string>())
        {
            configuration[key] = value;
        }

        AddPairs(configuration, Settings.ServerSettings);
        var environment = EnvironmentOverrides();
        var gcStats = AddGcStatsHook(environment, directory);
        var command = new ChatServerCommand(serverDll, ServerProcess.FreePort(), Path.Combine(directory, "chat.db"))
        {
            Settings = configuration,
            EnvironmentVariables = environment,
        };
        var server = command.Start(name, Cpus, directory, gcStats);
        return await WaitForHubAsync(server, cancellationToken);
    }

    /// <summary>The <c>--server-env</c> pairs (an empty value unsets a variable of the launch profile).</summary>
    private Dictionary<string, string> EnvironmentOverrides()
    {
        var overrides = new Dictionary<string, string>();
        AddPairs(overrides, Settings.ServerEnvironment);
        return overrides;
    }

    private static void AddPairs(Dictionary<string, string> target, IReadOnlyList<string> pairs)
    {
        foreach (var pair in pairs)
        {
            var equals = pair.IndexOf('=');
            if (equals > 0)
            {
                target[pair[..equals]] = pair[(equals + 1)..];
            }
        }
    }

    /// <summary>
    /// The baseline: this program's <c>serve-bare</c> mode, with server GC as every ASP.NET Core app has
    /// by default; with <paramref name="redis"/>, a node scaled out through Microsoft's Redis backplane.
    /// </summary>
    public async Task<ServerProcess> StartBareAsync(string? redis = null, string name = "bare", CancellationToken cancellationToken = default)
    {
        var benchDll = BenchAssembly();
        var directory = Directory.CreateTempSubdirectory("chat-bench-bare-").FullName;
        var port = ServerProcess.FreePort();
        var environment = new Dictionary<string, string>
        {
            ["DOTNET_ENVIRONMENT"] = "Production",
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["DOTNET_gcServer"] = "1",
            ["DOTNET_gcConcurrent"] = "1",
        };
        var gcStats = AddGcStatsHook(environment, directory);
        string[] arguments = redis is null
            ? [benchDll, "serve-bare", "--urls", $"http://127.0.0.1:{port}"]
            : [benchDll, "serve-bare", "--urls", $"http://127.0.0.1:{port}", "--redis", redis];
        var server = ServerProcess.Start(name, "dotnet", arguments, port, Cpus, directory, environment, directory, gcStats);
        return await WaitForHubAsync(server, cancellationToken);
    }

    /// <summary>redis-server without persistence.</summary>
    public async Task<ServerProcess> StartRedisAsync(CancellationToken cancellationToken = default)
    {
        var port = ServerProcess.FreePort();
        var server = ServerProcess.Start(
            "redis",
            Settings.RedisServer,
            RedisCommand.Arguments(port),
            port,
            Cpus);
        try
        {
            await server.WaitUntilReadyAsync(token => RedisCommand.AnswersPingAsync(port, token), StartTimeout, cancellationToken);
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        return server;
    }

    /// <summary>
    /// This program as a runnable dll (for <c>serve-bare</c>): itself when it has its runtime
    /// configuration beside it, else the repository's Chat.Bench build (e.g. when a test hosts the bench's code).
    /// </summary>
    private static string BenchAssembly()
    {
        var own = typeof(ServerLauncher).Assembly.Location;
        if (File.Exists(Path.ChangeExtension(own, ".runtimeconfig.json")) && Path.GetFileName(own) == "Chat.Bench.dll")
        {
            return own;
        }

        var built = BuildOutput.ProjectAssembly("Chat.Bench");
        return File.Exists(built)
            ? built
            : throw new FileNotFoundException($"{built} is missing: build it first (dotnet build -c {BuildOutput.Configuration} Chat.Bench).");
    }

    /// <summary>Loads this program's <c>StartupHook</c> into the server, which writes its GC figures to a file in <paramref name="directory"/>.</summary>
    private static string AddGcStatsHook(Dictionary<string, string> environment, string directory)
    {
        var path = Path.Combine(directory, "gc-stats");
        environment["DOTNET_STARTUP_HOOKS"] = BenchAssembly();
        environment[StartupHook.FileVariable] = path;
        return path;
    }

    private static async Task<ServerProcess> WaitForHubAsync(ServerProcess server, CancellationToken cancellationToken)
    {
        try
        {
            await server.WaitUntilReadyAsync(token => AnswersHandshakeAsync(server.Address, token), StartTimeout, cancellationToken);
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }

        return server;
    }

    /// <summary>Ready means a hub handshake succeeds (no nickname, so it claims none).</summary>
    private static async Task<bool> AnswersHandshakeAsync(Uri server, CancellationToken cancellationToken)
    {
        using var invoker = new HttpMessageInvoker(new SocketsHttpHandler { UseProxy = false });
        var hub = new UriBuilder(server) { Scheme = "ws", Path = HubDialect.HubPath }.Uri;
        try
        {
            await using var client = await HubClient.ConnectAsync(hub, -1, NullEventSink.Instance, null, invoker, cancellationToken);
            return true;
        }
        catch (Exception ex) when (ex is System.Net.WebSockets.WebSocketException or HttpRequestException or InvalidOperationException or IOException)
        {
            return false;
        }
    }
}

/// <summary>How the servers are started: which build, which cores, which extra settings.</summary>
public sealed record LaunchSettings
{
    /// <summary>Chat.Server.dll; by default the repository's build of this program's own configuration.</summary>
    public string? ServerDll { get; init; }

    /// <summary>Run the servers under <c>taskset -c <see cref="ServerCpus"/></c>.</summary>
    public bool Pin { get; init; }

    /// <summary>
    /// Run our server with its metrics pipeline on (<c>Chat:Metrics:Port</c> set: the OpenTelemetry meter
    /// provider records every instrument, and Prometheus could scrape it); off by default, as the tests
    /// run it. The two, compared, are what the metrics cost the hot path.
    /// </summary>
    public bool Metrics { get; init; }

    public string ServerCpus { get; init; } = "0";

    /// <summary>More <c>Key=Value</c> configuration for our server, e.g. <c>Chat:History:MaxBatchSize=1024</c>.</summary>
    public IReadOnlyList<string> ServerSettings { get; init; } = [];

    /// <summary>More <c>NAME=VALUE</c> environment variables for our server, e.g. a runtime GC setting.</summary>
    public IReadOnlyList<string> ServerEnvironment { get; init; } = [];

    public string RedisServer { get; init; } = "redis-server";
}
