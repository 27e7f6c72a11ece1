namespace Chat.Testing;

/// <summary>
/// How Chat.Server is started as its own process, by the bench and by the tests alike:
/// <c>dotnet Chat.Server.dll --urls http://127.0.0.1:PORT --Chat:History:SqlitePath=FILE --Key=Value…</c>
/// from the server's build folder, in the Production environment and with its launch profile's runtime
/// settings (<see cref="LaunchProfile"/>) unless <see cref="EnvironmentVariables"/> say otherwise.
/// The metrics endpoint is off (<c>Chat:Metrics:Port=0</c>: many servers run at once, and the default
/// port is one) unless <see cref="Settings"/> give it a port; so is the TCP door (<c>Chat:Tcp:Port=0</c>).
/// </summary>
/// <param name="ServerDll">The server's build output.</param>
/// <param name="Port">The loopback port it listens on.</param>
/// <param name="DatabasePath">Its SQLite history file.</param>
public sealed record ChatServerCommand(string ServerDll, int Port, string DatabasePath)
{
    /// <summary>More configuration (e.g. <c>Chat:Limits:SendBurst</c>), passed as <c>--Key=Value</c> arguments.</summary>
    public IReadOnlyDictionary<string, string> Settings { get; init; } = new Dictionary<string, string>();

    /// <summary>More environment variables; they win over the defaults, and an empty value unsets one.</summary>
    public IReadOnlyDictionary<string, string> EnvironmentVariables { get; init; } = new Dictionary<string, string>();

    /// <summary>The configuration key of the metrics endpoint's port.</summary>
    public const string MetricsPortKey = "Chat:Metrics:Port";

    /// <summary>The configuration key of the TCP door's port.</summary>
    public const string TcpPortKey = "Chat:Tcp:Port";

    public IReadOnlyList<string> Arguments =>
    [
        ServerDll,
        "--urls", $"http://127.0.0.1:{Port}",
        $"--Chat:History:SqlitePath={DatabasePath}",
        .. Settings.ContainsKey(MetricsPortKey) ? Array.Empty<string>() : [$"--{MetricsPortKey}=0"],
        .. Settings.ContainsKey(TcpPortKey) ? Array.Empty<string>() : [$"--{TcpPortKey}=0"],
        .. Settings.Select(pair => $"--{pair.Key}={pair.Value}"),
    ];

    /// <summary>Starts the server as <paramref name="name"/>; the other parameters are those of <see cref="ServerProcess.Start"/>.</summary>
    public ServerProcess Start(string name, string? cpus = null, string? ownDirectory = null, string? gcStatsPath = null, ProcessOutput? output = null)
    {
        var environment = new Dictionary<string, string>
        {
            ["DOTNET_ENVIRONMENT"] = "Production",
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
        };
        foreach (var (key, value) in LaunchProfile.With(EnvironmentVariables))
        {
            environment[key] = value;
        }

        var server = ServerProcess.Start(name, "dotnet", Arguments, Port, cpus, Path.GetDirectoryName(ServerDll), environment, ownDirectory, gcStatsPath, output);
        if (Settings.TryGetValue(MetricsPortKey, out var metricsPort) && metricsPort != "0")
        {
            server.MetricsAddress = new Uri($"http://127.0.0.1:{metricsPort}/metrics");
        }

        return server;
    }
}
