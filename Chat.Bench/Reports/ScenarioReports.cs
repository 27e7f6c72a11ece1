using System.Globalization;
using System.Text;
using Chat.Bench.Scenarios;

namespace Chat.Bench.Reports;

/// <summary>Each scenario's results as Markdown: the table (ours as ratios to the bare hub) and our targets, pass or fail.</summary>
public static class ScenarioReports
{
    public static string Fanout(IReadOnlyList<FanoutResult> results, bool acknowledgementTargets = false)
    {
        var table = new ComparisonTable([.. results.Select(result => result.Server)]);
        table.Add("offered deliveries/s", results.Select(r => r.OfferedDeliveriesPerSecond), "N0");
        table.Add("offered messages/s", results.Select(r => r.OfferedMessagesPerSecond), "N0");
        table.Add("delivered/s (measured window)", results.Select(r => r.DeliveriesPerSecond), "N0");
        table.Add("server CPU µs per delivery", results.Select(r => r.ServerCpuMicrosecondsPerDelivery), "N2");
        table.Add("server CPU, % of one core", results.Select(r => r.ServerCpuPercent), "N0");
        table.Add("server bytes allocated per delivery", results.Select(r => r.ServerAllocatedBytesPerDelivery), "N0");
        table.Add("server GCs in the window (all generations)", results.Select(r => (double)r.ServerGen0Collections), "N0");
        table.Add("  of which gen1", results.Select(r => (double)r.ServerGen1Collections), "N0");
        table.Add("  of which gen2", results.Select(r => (double)r.ServerGen2Collections), "N0");
        table.Add("server GC pauses in the window ms", results.Select(r => r.ServerGcPauseMilliseconds), "N0");
        table.Add("latency p50 ms", results.Select(r => r.Latency.P50), "N2");
        table.Add("latency p90 ms", results.Select(r => r.Latency.P90), "N2");
        table.Add("latency p99 ms", results.Select(r => r.Latency.P99), "N2");
        table.Add("latency p99.9 ms", results.Select(r => r.Latency.P999), "N2");
        table.Add("latency max ms", results.Select(r => r.Latency.Max), "N2");
        table.Add("ack p50 ms", results.Select(r => r.Acknowledgement.P50), "N2");
        table.Add("ack p99 ms", results.Select(r => r.Acknowledgement.P99), "N2");
        table.Add("ack max ms", results.Select(r => r.Acknowledgement.Max), "N2");
        table.Add("messages sent (whole run)", results.Select(r => (double)r.MessagesSent), "N0");
        table.Add("deliveries owed (whole run)", results.Select(r => (double)r.ExpectedDeliveries), "N0");
        table.Add("lost", results.Select(r => (double)r.Lost), "N0");
        table.Add("duplicated", results.Select(r => (double)r.Duplicates), "N0");
        table.Add("out of per-sender order", results.Select(r => (double)r.OutOfOrder), "N0");
        table.Add("delivered to the wrong room", results.Select(r => (double)r.Misrouted), "N0");
        table.Add("sends refused", results.Select(r => (double)r.SendErrors), "N0");
        table.Add("connections closed during the run", results.Select(r => (double)r.ClosedConnections), "N0");
        table.Add("server RSS at the end MiB", results.Select(r => r.ServerResidentMiB), "N0");
        table.Add("server peak RSS MiB", results.Select(r => r.ServerPeakResidentMiB), "N0");
        table.Add("server managed heap at the end MiB", results.Select(r => r.ServerManagedHeapMiB), "N0");
        table.Add("generator CPU, % of one core", results.Select(r => r.GeneratorCpuPercent), "N0");
        table.AddText("load average at start", results.Select(r => r.LoadAverage));

        string[] targets = results.FirstOrDefault(r => r.Server == "ours") is not { } ours ? []
            : acknowledgementTargets
                ? [
                    Targets.Line($"send acknowledgement p99 at {ours.OfferedMessagesPerSecond:N0} messages/s", ours.Acknowledgement.P99, Targets.AcknowledgementP99Milliseconds, atMost: true, "ms"),
                    CorrectnessTarget(ours),
                ]
                : [
                    Targets.Line($"server CPU per delivery at {ours.OfferedDeliveriesPerSecond:N0} deliveries/s", ours.ServerCpuMicrosecondsPerDelivery, Targets.CpuMicrosecondsPerDelivery, atMost: true, "µs"),
                    Targets.Line($"p99 latency at {ours.OfferedDeliveriesPerSecond:N0} deliveries/s offered", ours.Latency.P99, Targets.P99Milliseconds, atMost: true, "ms"),
                    CorrectnessTarget(ours),
                ];
        return Compose(table, results.Select(r => (r.Server, r.FirstError)), "first refusal", targets);
    }

    public static string Ramp(IReadOnlyList<RampResult> results)
    {
        var text = new StringBuilder();
        foreach (var result in results)
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"### {result.Server}");
            text.AppendLine("| offered/s | delivered/s | p50 ms | p99 ms | max ms | lost | server CPU µs/delivery | server CPU % | generator CPU % |");
            text.AppendLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
            foreach (var step in result.Steps)
            {
                text.AppendLine(CultureInfo.InvariantCulture,
                    $"| {step.OfferedDeliveriesPerSecond:N0} | {step.DeliveriesPerSecond:N0} | {step.Latency.P50:N2} | {step.Latency.P99:N2} | {step.Latency.Max:N2} | {step.Lost} | {step.ServerCpuMicrosecondsPerDelivery:N2} | {step.ServerCpuPercent:N0} | {step.GeneratorCpuPercent:N0} |");
            }

            text.AppendLine(CultureInfo.InvariantCulture, $"\nSustained (p99 ≤ {result.P99BoundMilliseconds} ms, nothing lost): {result.SustainedDeliveriesPerSecond:N0} deliveries/s; stopped: {result.StopReason}.\n");
        }

        var table = new ComparisonTable([.. results.Select(result => result.Server)]);
        table.Add("sustained deliveries/s", results.Select(r => r.SustainedDeliveriesPerSecond), "N0");
        text.Append(table);
        return text.ToString();
    }

    public static string Idle(IReadOnlyList<IdleResult> results)
    {
        var table = new ComparisonTable([.. results.Select(result => result.Server)]);
        table.Add("connections (each in a room)", results.Select(r => (double)r.Connected), "N0");
        table.Add("server memory per idle connection KiB", results.Select(r => r.KiBPerConnection), "N1");
        table.Add("server RSS before MiB", results.Select(r => r.ResidentBeforeMiB), "N0");
        table.Add("server RSS after MiB", results.Select(r => r.ResidentAfterMiB), "N0");
        table.Add("server peak RSS MiB", results.Select(r => r.PeakResidentMiB), "N0");
        table.Add("managed heap growth per connection KiB", results.Select(r => r.ManagedKiBPerConnection), "N1");
        table.Add("GC committed growth per connection KiB", results.Select(r => r.CommittedKiBPerConnection), "N1");
        table.Add("after a full GC: memory per connection KiB", results.Select(r => r.KiBPerConnectionAfterFullGc), "N1");
        table.Add("after a full GC: live managed per connection KiB", results.Select(r => r.LiveManagedKiBPerConnection), "N1");
        table.Add("server managed heap after MiB", results.Select(r => r.ManagedHeapAfterMiB), "N0");
        table.Add("connect + join, seconds for all", results.Select(r => r.ConnectSeconds), "N1");
        table.Add("failed to connect", results.Select(r => (double)r.Failures), "N0");
        table.Add("closed while idle", results.Select(r => (double)r.Closed), "N0");
        table.AddText("load average at start", results.Select(r => r.LoadAverage));
        string[] targets = results.FirstOrDefault(r => r.Server == "ours") is { } ours
            ? [Targets.Line($"memory per idle connection at {ours.Connected:N0} connections", ours.KiBPerConnection, Targets.KiBPerIdleConnection, atMost: true, "KiB")]
            : [];
        return Compose(table, results.Select(r => (r.Server, r.FirstFailure)), "first failure", targets);
    }

    public static string Connect(IReadOnlyList<ConnectResult> results)
    {
        var table = new ComparisonTable([.. results.Select(result => result.Server)]);
        table.Add("connect + handshake + join per second", results.Select(r => r.PerSecond), "N0");
        table.Add("connected", results.Select(r => (double)r.Connected), "N0");
        table.Add("failed", results.Select(r => (double)r.Failures), "N0");
        table.Add("each: p50 ms", results.Select(r => r.Latency.P50), "N2");
        table.Add("each: p99 ms", results.Select(r => r.Latency.P99), "N2");
        table.Add("each: max ms", results.Select(r => r.Latency.Max), "N2");
        table.Add("server CPU µs per connection", results.Select(r => r.ServerCpuMicrosecondsPerConnection), "N0");
        table.Add("server CPU, % of one core", results.Select(r => r.ServerCpuPercent), "N0");
        table.Add("server methods JIT-compiled in the window", results.Select(r => (double)r.JitMethods), "N0");
        table.Add("server JIT time in the window ms", results.Select(r => r.JitTime.TotalMilliseconds), "N0");
        table.Add("server bytes allocated per connection", results.Select(r => r.AllocatedBytesPerConnection), "N0");
        table.AddText("server GCs in the window (all, gen1, gen2)", results.Select(r => $"{r.Collections.All}, {r.Collections.Gen1}, {r.Collections.Gen2}"));
        table.Add("generator CPU, % of one core", results.Select(r => r.GeneratorCpuPercent), "N0");
        table.AddText("load average at start", results.Select(r => r.LoadAverage));
        string[] targets = results.FirstOrDefault(r => r.Server == "ours") is { } ours
            ? [Targets.Line($"connect + handshake + join, {ours.Concurrency} at a time", ours.PerSecond, Targets.ConnectsPerSecond, atMost: false, "per second")]
            : [];
        return Compose(table, results.Select(r => (r.Server, r.FirstFailure)), "first failure", targets);
    }

    public static string Store(StoreResult result)
    {
        var text = new StringBuilder();
        text.AppendLine("| metric | SqliteMessageStore |");
        text.AppendLine("|---|---:|");
        text.AppendLine(CultureInfo.InvariantCulture, $"| concurrent appenders | {result.Appenders} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| max batch | {result.MaxBatchSize} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| durable appends/s | {result.AppendsPerSecond:N0} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| append p50 ms | {result.Latency.P50:N2} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| append p99 ms | {result.Latency.P99:N2} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| append max ms | {result.Latency.Max:N2} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| process CPU, % of one core | {result.ProcessCpuPercent:N0} |");
        text.AppendLine(CultureInfo.InvariantCulture, $"| load average at start | {result.LoadAverage} |");
        text.AppendLine().AppendLine("Targets (ours):");
        text.AppendLine(Targets.Line("stored messages per second, sustained", result.AppendsPerSecond, Targets.StoredMessagesPerSecond, atMost: false, "per second"));
        return text.ToString();
    }

    private static string CorrectnessTarget(FanoutResult ours) =>
        Targets.Check("0 lost, 0 duplicated, per-sender order kept", ours.Correct, $"{ours.Lost} lost, {ours.Duplicates} duplicated, {ours.OutOfOrder} out of order, {ours.ClosedConnections} closed");

    /// <summary>The table, a line for each server whose run had a problem, then our targets (none when ours did not run).</summary>
    private static string Compose(ComparisonTable table, IEnumerable<(string Server, string? Problem)> problems, string problemLabel, IReadOnlyList<string> targets)
    {
        var text = new StringBuilder(table.ToString());
        foreach (var (server, problem) in problems.Where(p => p.Problem is not null))
        {
            text.AppendLine(CultureInfo.InvariantCulture, $"\n{server}: {problemLabel}: {problem}");
        }

        if (targets.Count > 0)
        {
            text.AppendLine().AppendLine("Targets (ours):");
            foreach (var target in targets)
            {
                text.AppendLine(target);
            }
        }

        return text.ToString();
    }
}
