using Chat.Bench.Load;
using Chat.Bench.Servers;
using Chat.Testing;

namespace Chat.Bench.Scenarios;

/// <summary>
/// <c>ramp</c>: the fanout shape at rising offered rates, one window per step on the same
/// connections, until p99 passes the bound, anything is lost, duplicated, reordered or refused, or the
/// top rate is reached. The first step whose only fault is its p99 is measured once more before the
/// ramp stops: on a shared machine one bad stretch can spoil a window (a ramp once ended at its first
/// step, 10,000/s, that way), while a rate the server cannot carry fails twice.
/// </summary>
public static class RampScenario
{
    public static async Task<RampResult> RunAsync(ServerLauncher launcher, HubDialect dialect, RampSettings settings, CancellationToken cancellationToken = default)
    {
        await using var server = await launcher.StartAsync(dialect, cancellationToken);
        var shape = settings.Shape;
        var rates = settings.Rates().ToList();
        var maxRate = rates.Max() / shape.DeliveriesPerUnitRate;
        var stepSeconds = settings.StepWarmupSeconds + settings.StepSeconds + settings.DrainSeconds;
        await using var run = await FanoutRun.OpenAsync(dialect.Name, dialect, [server], _ => server.Address, shape, maxRate, settings.WarmupSeconds + (stepSeconds * (rates.Count + 1)), cancellationToken);
        await run.WarmUpAsync(rates[0] / shape.DeliveriesPerUnitRate, settings.WarmupSeconds, cancellationToken);

        var steps = new List<FanoutResult>();
        double? sustained = null;
        var stopReason = "reached the top rate";
        var retried = false;
        for (var index = 0; index < rates.Count; index++)
        {
            var deliveriesPerSecond = rates[index];
            var step = await run.MeasureAsync(deliveriesPerSecond / shape.DeliveriesPerUnitRate, settings.StepWarmupSeconds, settings.StepSeconds, settings.DrainSeconds, cancellationToken);
            steps.Add(step);
            Console.Error.WriteLine($"  {dialect.Name}: {deliveriesPerSecond:N0}/s offered, {step.DeliveriesPerSecond:N0}/s delivered, p99 {step.Latency.P99:N1} ms, lost {step.Lost}, server CPU {step.ServerCpuPercent:N0}%, generator CPU {step.GeneratorCpuPercent:N0}%");
            if (Failure(step, settings.P99BoundMilliseconds) is { } failure)
            {
                if (!retried && OnlySlow(step, settings.P99BoundMilliseconds))
                {
                    retried = true;
                    index--;
                    Console.Error.WriteLine($"  {dialect.Name}: {failure}; measuring {deliveriesPerSecond:N0}/s once more");
                    continue;
                }

                stopReason = $"{failure} at {deliveriesPerSecond:N0}/s";
                break;
            }

            sustained = deliveriesPerSecond;
        }

        await run.CloseAsync();
        return new RampResult(dialect.Name, settings.P99BoundMilliseconds, sustained ?? 0, stopReason, steps);
    }

    private static bool OnlySlow(FanoutResult step, double p99Bound) =>
        step.Latency.P99 > p99Bound && Failure(step with { Latency = step.Latency with { P99 = 0 } }, p99Bound) is null;

    private static string? Failure(FanoutResult step, double p99Bound) =>
        step.Latency.P99 > p99Bound ? $"p99 {step.Latency.P99:N1} ms over {p99Bound} ms"
        : step.Lost > 0 ? $"{step.Lost} deliveries missing"
        : step.Duplicates > 0 ? $"{step.Duplicates} duplicates"
        : step.OutOfOrder > 0 ? $"{step.OutOfOrder} out of order"
        : step.Misrouted > 0 ? $"{step.Misrouted} misrouted"
        : step.SendErrors > 0 ? $"{step.SendErrors} sends refused ({step.FirstError})"
        : step.ClosedConnections > 0 ? $"{step.ClosedConnections} connections closed"
        : null;
}

public sealed record RampSettings
{
    /// <summary>Users, rooms, senders and message size (its rate fields are not used).</summary>
    public FanoutSettings Shape { get; init; } = new();

    public double From { get; init; } = 10_000;

    public double Step { get; init; } = 10_000;

    public double To { get; init; } = 200_000;

    /// <summary>Sending at the first rate before the first step (JIT tiering, pools, caches).</summary>
    public double WarmupSeconds { get; init; } = 15;

    /// <summary>Sending at each step's rate before its window opens.</summary>
    public double StepWarmupSeconds { get; init; } = 3;

    public double StepSeconds { get; init; } = 10;

    public double DrainSeconds { get; init; } = 5;

    public double P99BoundMilliseconds { get; init; } = 50;

    public IEnumerable<double> Rates()
    {
        for (var rate = From; rate <= To + 1e-9; rate += Step)
        {
            yield return rate;
        }
    }
}

/// <summary>Each step, and the highest offered rate that passed.</summary>
public sealed record RampResult(string Server, double P99BoundMilliseconds, double SustainedDeliveriesPerSecond, string StopReason, IReadOnlyList<FanoutResult> Steps);
