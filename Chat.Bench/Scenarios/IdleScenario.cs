using Chat.Bench.Load;
using Chat.Bench.Servers;
using Chat.Testing;

namespace Chat.Bench.Scenarios;

/// <summary>
/// <c>idle</c>: what an idle user costs the server in memory. After a warm-up round (so code and
/// caches are loaded) and a full GC, the server's resident memory is read, N users connect and each
/// joins a room, they sit for a while (pinging, as clients do), and the memory is read again: as it
/// is, and after a full compacting GC (what the server really keeps per user).
/// </summary>
public static class IdleScenario
{
    private const int WarmupUsers = 200;

    public static async Task<IdleResult> RunAsync(ServerLauncher launcher, HubDialect dialect, IdleSettings settings, CancellationToken cancellationToken = default)
    {
        await using var server = await launcher.StartAsync(dialect, cancellationToken);
        var load = ProcessSample.LoadAverage();
        var rooms = Math.Max(1, settings.Connections / settings.RoomSize);

        await WarmupArrivals.RunAsync(server, dialect, Math.Min(WarmupUsers, settings.Connections), rooms, settings.ConnectConcurrency, cancellationToken: cancellationToken);
        await Task.Delay(TimeSpan.FromSeconds(3), cancellationToken);

        // The baseline is the server's minimum: what it keeps with no users, garbage collected.
        await server.CollectGarbageAsync(cancellationToken);
        var before = server.Sample();
        var gcBefore = server.SampleGc();
        var heapBefore = gcBefore.HeapBytes;
        var started = System.Diagnostics.Stopwatch.GetTimestamp();
        await using var fleet = await ClientFleet.OpenAsync(
            settings.Connections,
            user => dialect.HubUri(server.Address, user),
            user => RoomLayout.RoomName(user % rooms),
            NullEventSink.Instance,
            _ => null,
            settings.ConnectConcurrency,
            cancellationToken: cancellationToken);
        var connectSeconds = System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalSeconds;
        await Task.Delay(TimeSpan.FromSeconds(settings.SettleSeconds), cancellationToken);
        var after = server.Sample();
        var gcAfter = server.SampleGc();
        var heapAfter = gcAfter.HeapBytes;

        // Then what it really keeps for them: a full compacting GC drops the garbage of connecting.
        var collected = await server.CollectGarbageAsync(cancellationToken);
        var afterCollection = server.Sample();
        var heapAfterCollection = server.SampleGc().HeapBytes;

        var connected = fleet.Connected - fleet.Closed;
        return new IdleResult(
            dialect.Name,
            settings.Connections,
            rooms,
            connected,
            fleet.FailureCount,
            fleet.Failures.FirstOrDefault(),
            fleet.Closed,
            connectSeconds,
            before.ResidentBytes / 1048576.0,
            after.ResidentBytes / 1048576.0,
            after.PeakResidentBytes / 1048576.0,
            connected == 0 ? 0 : (after.ResidentBytes - before.ResidentBytes) / 1024.0 / connected,
            heapAfter / 1048576.0,
            connected == 0 ? 0 : (heapAfter - heapBefore) / 1024.0 / connected,
            connected == 0 ? 0 : (gcAfter.CommittedBytes - gcBefore.CommittedBytes) / 1024.0 / connected,
            collected && connected > 0 ? (afterCollection.ResidentBytes - before.ResidentBytes) / 1024.0 / connected : 0,
            collected && connected > 0 ? (heapAfterCollection - heapBefore) / 1024.0 / connected : 0,
            load);
    }
}

public sealed record IdleSettings
{
    public int Connections { get; init; } = 5000;

    public int RoomSize { get; init; } = 100;

    public double SettleSeconds { get; init; } = 10;

    public int ConnectConcurrency { get; init; } = 64;
}

/// <summary>Server memory before and after the idle users arrived, and the difference per user.</summary>
public sealed record IdleResult(
    string Server,
    int Connections,
    int Rooms,
    int Connected,
    int Failures,
    string? FirstFailure,
    int Closed,
    double ConnectSeconds,
    double ResidentBeforeMiB,
    double ResidentAfterMiB,
    double PeakResidentMiB,
    double KiBPerConnection,
    double ManagedHeapAfterMiB,
    double ManagedKiBPerConnection,
    double CommittedKiBPerConnection,
    double KiBPerConnectionAfterFullGc,
    double LiveManagedKiBPerConnection,
    string LoadAverage);
