using Chat.Bench.Load;
using Chat.Bench.Reports;
using Chat.Bench.Scenarios;
using Chat.Bench.Servers;
using Chat.Tests.Infrastructure;

namespace Chat.Tests.Bench;

/// <summary>
/// The benchmark's own check: a tiny fanout through the bench's code against real server processes
/// (ours and the bare baseline) must count every delivery exactly and report every figure.
/// </summary>
public sealed class FanoutBenchTests
{
    private static readonly FanoutSettings Tiny = new()
    {
        Connections = 20,
        Rooms = 2,
        SendersPerRoom = 2,
        RatePerSender = 20,
        WarmupSeconds = 0.5,
        DurationSeconds = 2,
        DrainSeconds = 5,
        ConnectConcurrency = 10,
    };

    private static ServerLauncher Launcher => new(new LaunchSettings { ServerDll = RepositoryPaths.ServerAssembly });

    [Fact]
    public async Task Tiny_fanout_against_our_server_loses_nothing_and_reports_every_figure()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));

        var result = await FanoutScenario.RunAsync(Launcher, HubDialect.Ours, Tiny, timeout.Token);

        ShouldBeExact(result);
        result.Server.Should().Be("ours");
        result.Acknowledgement.Count.Should().BeGreaterThan(0, "every send is answered once durable");
        var report = ScenarioReports.Fanout([result]);
        report.Should().Contain("server CPU µs per delivery").And.Contain("latency p99.9 ms").And.Contain("generator CPU, % of one core")
            .And.Contain("lost").And.Contain("duplicated").And.Contain("out of per-sender order").And.Contain("Targets (ours):");
    }

    [Fact]
    public async Task Tiny_fanout_against_our_server_with_its_metrics_pipeline_on_loses_nothing_and_is_counted()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var launcher = new ServerLauncher(new LaunchSettings { ServerDll = RepositoryPaths.ServerAssembly, Metrics = true });
        await using var server = await launcher.StartOursAsync(cancellationToken: timeout.Token);

        var result = await FanoutScenario.RunAsync("ours", HubDialect.Ours, [server], _ => server.Address, Tiny, timeout.Token);

        ShouldBeExact(result);
        server.MetricsAddress.Should().NotBeNull("the metrics pipeline is on");
        using var http = new HttpClient(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(10) };
        var metrics = await http.GetStringAsync(server.MetricsAddress, timeout.Token);
        metrics.Should().Contain("chat_messages_delivered_total", "the server counted what the bench delivered");
    }

    [Fact]
    public async Task Bare_baseline_passes_the_same_checks_and_ours_is_shown_as_a_ratio_to_it()
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(90));

        var bare = await FanoutScenario.RunAsync(Launcher, HubDialect.Bare, Tiny with { DurationSeconds = 1 }, timeout.Token);

        ShouldBeExact(bare);
        bare.Server.Should().Be("bare");
        var report = ScenarioReports.Fanout([bare, bare with { Server = "ours" }]);
        report.Should().Contain("ours ÷ bare").And.Contain("1.00×");
    }

    private static void ShouldBeExact(FanoutResult result)
    {
        var membersPerRoom = Tiny.Connections / Tiny.Rooms;
        result.MessagesSent.Should().BeGreaterThan(0);
        result.ExpectedDeliveries.Should().Be(result.MessagesSent * membersPerRoom, "every member, the sender too, gets each message of its room");
        result.Lost.Should().Be(0);
        result.Duplicates.Should().Be(0);
        result.OutOfOrder.Should().Be(0);
        result.Misrouted.Should().Be(0);
        result.SendErrors.Should().Be(0, result.FirstError);
        result.ClosedConnections.Should().Be(0);
        result.Correct.Should().BeTrue();

        result.Deliveries.Should().BeGreaterThan(0);
        result.DeliveriesPerSecond.Should().BeGreaterThan(0);
        result.Latency.Count.Should().BeGreaterThan(0);
        result.Latency.P50.Should().BeLessThanOrEqualTo(result.Latency.P99);
        result.Latency.P99.Should().BeLessThanOrEqualTo(result.Latency.Max);
        result.ServerCpuSeconds.Should().BeGreaterThan(0);
        result.ServerCpuMicrosecondsPerDelivery.Should().BeGreaterThan(0);
        result.ServerResidentMiB.Should().BeGreaterThan(0);
        result.ServerPeakResidentMiB.Should().BeGreaterThanOrEqualTo(result.ServerResidentMiB);
        result.GeneratorCpuPercent.Should().BeGreaterThan(0);
        result.LoadAverage.Should().NotBeNullOrEmpty();
    }
}
