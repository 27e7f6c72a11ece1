using System.Diagnostics;
using Chat.Bench.Load;
using Chat.Bench.Servers;
using Chat.Testing;

namespace Chat.Bench.Scenarios;

/// <summary>
/// <c>connect</c>: how fast users arrive: WebSocket connect, hub handshake and <c>Join</c> (answered),
/// a bounded number at a time, into rooms of a given size.
/// </summary>
public static class ConnectScenario
{
    // Rounds of arrivals (and departures) before measuring, until two rounds in a row make the server
    // compile (almost) nothing: tiered JIT starts counting calls only once no new method has been
    // compiled for a while, then compiles hot methods again in the background (with dynamic PGO, twice), so a
    // single round of 100, or even three of 1,000, still left the measured window running tier-0 code
    // and paying for its recompilation on the server's one core. A server that has been up for minutes
    // is past all that; this measures that server.
    private const int WarmupUsers = 1000;
    private const int MaxWarmupRounds = 12;
    private const int QuietJitMethods = 20;

    public static async Task<ConnectResult> RunAsync(ServerLauncher launcher, HubDialect dialect, ConnectSettings settings, CancellationToken cancellationToken = default)
    {
        await using var server = await launcher.StartAsync(dialect, cancellationToken);
        var load = ProcessSample.LoadAverage();
        var rooms = Math.Max(1, settings.Connections / settings.RoomSize);

        var jitBefore = server.SampleGc().JitMethods;
        var quietRounds = 0;
        for (var round = 0; round < MaxWarmupRounds && quietRounds < 2; round++)
        {
            await WarmupArrivals.RunAsync(server, dialect, WarmupUsers, rooms, settings.ConnectConcurrency, round * WarmupUsers, cancellationToken);
            await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            var jitAfter = server.SampleGc().JitMethods;
            quietRounds = round > 0 && jitAfter - jitBefore < QuietJitMethods ? quietRounds + 1 : 0;
            jitBefore = jitAfter;
        }

        var latency = new LatencyHistogram();
        var serverBefore = server.Sample();
        var gcBefore = server.SampleGc(); // up to 200 ms stale: after the pause, nothing is missed
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
        await Task.Delay(ServerProcess.GcStatsInterval, cancellationToken);
        var gcAfter = server.SampleGc();
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
            gcAfter.JitMethods - gcBefore.JitMethods,
            gcAfter.JitTime - gcBefore.JitTime,
            fleet.Connected == 0 ? 0 : (double)(gcAfter.AllocatedBytes - gcBefore.AllocatedBytes) / fleet.Connected,
            (gcAfter.Gen0 - gcBefore.Gen0, gcAfter.Gen1 - gcBefore.Gen1, gcAfter.Gen2 - gcBefore.Gen2),
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
    long JitMethods,
    TimeSpan JitTime,
    double AllocatedBytesPerConnection,
    (int All, int Gen1, int Gen2) Collections,
    string LoadAverage);
