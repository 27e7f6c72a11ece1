using Chat.Server.Hosting;
using Chat.Tests.Infrastructure;

namespace Chat.Tests.Hosting;

/// <summary>The standard OpenTelemetry variables point a real server at a real OTLP/HTTP receiver.</summary>
public sealed class OtlpExportTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task Spans_for_a_hub_invocation_and_a_store_write_and_our_instruments_arrive_over_otlp()
    {
        await using var receiver = await OtlpReceiver.StartAsync();
        var environment = new Dictionary<string, string>
        {
            [TelemetryServiceExtensions.OtlpEndpointVariable] = receiver.Endpoint.ToString().TrimEnd('/'),
            ["OTEL_EXPORTER_OTLP_PROTOCOL"] = "http/protobuf",
            ["OTEL_BSP_SCHEDULE_DELAY"] = "200",
            ["OTEL_METRIC_EXPORT_INTERVAL"] = "500",
        };
        await using var server = await ChatServerProcess.StartAsync(environment: environment);
        var room = Names.Room();
        await using var alice = await TestClient.ConnectAsync(server.Address, Names.User("alice"));
        await alice.Client.JoinAsync(room);
        await alice.Client.SendAsync(room, "traced");

        await receiver.WaitForAsync("traces", ["ChatHub/SendMessage", StoreCommit.ActivityName, ChatActivities.SourceName], Timeout);
        await receiver.WaitForAsync("metrics", [ChatMetrics.MessagesReceived, ChatMetrics.MessagesDelivered, ChatMetrics.SendDuration], Timeout);
    }
}
