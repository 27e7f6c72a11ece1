using Chat.Bench.Load;
using Chat.Bench.Servers;
using Chat.Testing;

namespace Chat.Bench.Scenarios;

/// <summary>
/// <c>fanout</c> (and <c>ack</c>): users in rooms, a few senders per room at a fixed rate; after a
/// warm-up, one measured window. Every delivery is checked (loss, duplicates, per-sender order).
/// </summary>
public static class FanoutScenario
{
    public static async Task<FanoutResult> RunAsync(ServerLauncher launcher, HubDialect dialect, FanoutSettings settings, CancellationToken cancellationToken = default)
    {
        await using var server = await launcher.StartAsync(dialect, cancellationToken);
        return await RunAsync(dialect.Name, dialect, [server], _ => server.Address, settings, cancellationToken);
    }

    /// <summary>Against servers already running (several for a cluster); <paramref name="servers"/> are the processes whose CPU and memory count.</summary>
    public static async Task<FanoutResult> RunAsync(
        string name,
        HubDialect dialect,
        IReadOnlyList<ServerProcess> servers,
        Func<int, Uri> endpointOf,
        FanoutSettings settings,
        CancellationToken cancellationToken = default)
    {
        var rate = settings.PerSenderRate;
        var sendingSeconds = settings.WarmupSeconds + settings.DurationSeconds + settings.DrainSeconds;
        await using var run = await FanoutRun.OpenAsync(name, dialect, servers, endpointOf, settings, rate, sendingSeconds, cancellationToken);
        var result = await run.MeasureAsync(rate, settings.WarmupSeconds, settings.DurationSeconds, settings.DrainSeconds, cancellationToken);
        var lost = await run.CloseAsync();
        return result with { Lost = lost };
    }
}
