using System.Diagnostics;
using Chat.Bench.Load;
using Chat.Bench.Servers;

namespace Chat.Bench.Scenarios;

/// <summary>
/// <c>connect</c>: how fast users arrive: WebSocket connect, hub handshake and <c>Join</c> (answered),
/// a bounded number at a time, into rooms of a given size.
/// </summary>
public static class ConnectScenario
{
    // Enough arrivals (and departures) that the server's connect, join and leave paths are fully
    // compiled (tiered JIT with dynamic PGO needs a few dozen calls per method, then a background
    // compile) before the measured users come: 100 left part of the window to the JIT.
    private const int WarmupUsers = 1000;

    public static async Task<ConnectResult> RunAsync(ServerLauncher launcher, HubDialect dialect, ConnectSettings settings, CancellationToken cancellationToken = default)
    {
        await using var server = await launcher.StartAsync(dialect, cancellationToken);
        var load = ProcessSample.LoadAverage();
        var rooms = Math.Max(1, settings.Connections / settings.RoomSize);

        var warmup = await ClientFleet.OpenAsync(
            WarmupUsers,
            user => dialect.HubUri(server.Address, -1 - user),
            user => RoomLayout.RoomName(user % rooms),
            NullEventSink.Instance,
            _ => null,
            settings.ConnectConcurrency,
            cancellationToken: cancellationToken);
        await warmup.DisposeAsync();
        await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);

        var latency = new LatencyHistogram();
        var serverBefore = server.Sample();
        var generatorBefore = ProcessSample.ReadSelf();
        var started = Stopwatch.GetTimestamp();
        await using var fleet = await ClientFleet.OpenAsync(
            settings.Connections,
            user => dialect.HubUri(server.Address, user),
            user => RoomLayout.RoomName(user % rooms),
            NullEventSink.Instance,
            _ => null,
            settings.ConnectConcurrency,
            latency,
            cancellationToken);
        var seconds = Stopwatch.GetElapsedTime(started).TotalSeconds;
        var serverAfter = server.Sample();
        var generatorAfter = ProcessSample.ReadSelf();

        return new ConnectResult(
            dialect.Name,
            settings.Connections,
            settings.ConnectConcurrency,
            settings.RoomSize,
            fleet.Connected,
            fleet.FailureCount,
            fleet.Failures.FirstOrDefault(),
            seconds,
            fleet.Connected / seconds,
            latency.Summarize(),
            fleet.Connected == 0 ? 0 : (serverAfter.Cpu - serverBefore.Cpu).TotalSeconds / fleet.Connected * 1e6,
            ProcessSample.CpuPercent(serverBefore, serverAfter),
            ProcessSample.CpuPercent(generatorBefore, generatorAfter),
            load);
    }
}

public sealed record ConnectSettings
{
    public int Connections { get; init; } = 2000;

    public int RoomSize { get; init; } = 100;

    public int ConnectConcurrency { get; init; } = 64;
}

/// <summary>Connect + handshake + join: how many per second, how long each took, what each cost the server.</summary>
public sealed record ConnectResult(
    string Server,
    int Connections,
    int Concurrency,
    int RoomSize,
    int Connected,
    int Failures,
    string? FirstFailure,
    double Seconds,
    double PerSecond,
    LatencySummary Latency,
    double ServerCpuMicrosecondsPerConnection,
    double ServerCpuPercent,
    double GeneratorCpuPercent,
    string LoadAverage);
