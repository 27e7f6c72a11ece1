using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Chat.Server.Hosting;
using Chat.Testing;
using Chat.Tests.Infrastructure;
using Chat.Tests.Transport;

namespace Chat.Tests.Hosting;

/// <summary>
/// The Prometheus endpoint of a real server process, on its own metrics port, read as Prometheus reads
/// it: over HTTP, and by Debian's prometheus itself.
/// </summary>
public sealed partial class MetricsEndpointTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);
    private static readonly HttpClient Http = new(new SocketsHttpHandler { UseProxy = false }) { Timeout = TimeSpan.FromSeconds(10) };

    [Fact]
    public async Task Metrics_are_served_on_the_metrics_port_and_not_on_the_public_one()
    {
        var metricsPort = FreePort.Next();
        await using var server = await StartAsync(metricsPort);
        var metrics = MetricsUri(metricsPort);
        var room = Names.Room();
        await using (var alice = await TestClient.ConnectAsync(server.Address, Names.User("alice")))
        {
            await alice.Client.JoinAsync(room);
            await alice.Client.SendAsync(room, "hello");

            using var publicAnswer = await Http.GetAsync(new Uri(server.Address, MetricsOptions.Path));
            publicAnswer.StatusCode.Should().Be(HttpStatusCode.NotFound, "the public port does not serve /metrics");

            var text = await WaitForSeriesAsync(metrics, "chat_send_duration_seconds_count");
            Value(text, "chat_connections", "chat_transport=\"direct\"").Should().Be(1);
            Value(text, "chat_messages_received_total", "chat_message_kind=\"room\"").Should().Be(1);
            foreach (var name in new[]
            {
                "chat_rooms", "chat_users", "chat_transport_pooled_bytes", "chat_send_duration_seconds_bucket",
                "chat_store_batch_size_bucket", "chat_store_commit_duration_seconds_bucket",
                "kestrel_active_connections", "http_server_request_duration_seconds_count", "dotnet_process_cpu_time_seconds_total",
            })
            {
                SeriesNames(text).Should().Contain(name);
            }

            foreach (var line in text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(line => !line.StartsWith('#')))
            {
                SampleLine().IsMatch(line).Should().BeTrue($"\"{line}\" should be a Prometheus sample");
            }
        }

        using var health = await Http.GetAsync(new Uri(metrics, "/healthz"));
        health.StatusCode.Should().Be(HttpStatusCode.NotFound, "the metrics port serves /metrics only");
        await using var upgrade = await WireSocket.UpgradeAsync(new Uri($"http://127.0.0.1:{metricsPort}"));
        upgrade.Response.Should().StartWith("HTTP/1.1 404 ", "the metrics port takes no hub connections");
    }

    [Fact]
    public async Task A_message_to_a_room_of_three_counts_three_deliveries()
    {
        var metricsPort = FreePort.Next();
        await using var server = await StartAsync(metricsPort);
        var room = Names.Room();
        await using var alice = await TestClient.ConnectAsync(server.Address, Names.User("alice"));
        await using var bob = await TestClient.ConnectAsync(server.Address, Names.User("bob"));
        await using var carol = await TestClient.ConnectAsync(server.Address, Names.User("carol"));
        foreach (var member in new[] { alice, bob, carol })
        {
            await member.Client.JoinAsync(room);
        }

        await alice.Client.SendAsync(room, "to all three");
        await Task.WhenAll(alice.Messages.WaitForCountAsync(1), bob.Messages.WaitForCountAsync(1), carol.Messages.WaitForCountAsync(1));

        var text = await WaitForSeriesAsync(MetricsUri(metricsPort), "chat_messages_delivered_total", value => value >= 3);
        Value(text, "chat_messages_delivered_total").Should().Be(3, "one message, written to three connections");
        Value(text, "chat_messages_received_total", "chat_message_kind=\"room\"").Should().Be(1);
    }

    [Fact]
    public async Task Prometheus_scrapes_our_instruments_and_the_frameworks()
    {
        var metricsPort = FreePort.Next();

        // Through the HTTP stack, so SignalR's own connection meter has connections to count.
        await using var server = await StartAsync(metricsPort, WebSocketPath.Http);
        await using var prometheus = await PrometheusServer.StartAsync($"127.0.0.1:{metricsPort}");
        var room = Names.Room();
        await using var alice = await TestClient.ConnectAsync(server.Address, Names.User("alice"));
        await using var bob = await TestClient.ConnectAsync(server.Address, Names.User("bob"));
        await alice.Client.JoinAsync(room);
        await bob.Client.JoinAsync(room);
        await alice.Client.SendAsync(room, "scraped");
        await bob.Messages.WaitForCountAsync(1);

        await prometheus.WaitForAsync("up{job=\"chat\"}", up => up == 1, Timeout);
        (await prometheus.WaitForAsync("sum(chat_messages_delivered_total)", value => value >= 2, Timeout)).Should().Be(2);
        (await prometheus.WaitForAsync("sum(chat_connections{chat_transport=\"http\"})", value => value >= 2, Timeout)).Should().Be(2);
        await prometheus.WaitForAsync("sum(chat_messages_received_total{chat_message_kind=\"room\"})", value => value == 1, Timeout);
        await prometheus.WaitForAsync("sum(chat_send_duration_seconds_count)", value => value == 1, Timeout);
        await prometheus.WaitForAsync("sum(chat_store_commit_duration_seconds_count)", value => value >= 1, Timeout);
        await prometheus.WaitForAsync("sum(chat_rooms)", value => value == 1, Timeout);
        await prometheus.WaitForAsync("sum(chat_users)", value => value == 2, Timeout);
        await prometheus.WaitForAsync("sum(signalr_server_active_connections)", value => value >= 2, Timeout);
        await prometheus.WaitForAsync("sum(kestrel_active_connections)", value => value >= 2, Timeout);
        await prometheus.WaitForAsync("sum(http_server_request_duration_seconds_count)", value => value >= 1, Timeout);
        await prometheus.WaitForAsync("sum(dotnet_process_cpu_time_seconds_total)", value => value > 0, Timeout);
    }

    internal static Task<ChatServerProcess> StartAsync(int metricsPort, WebSocketPath path = WebSocketPath.Direct) =>
        ChatServerProcess.StartAsync(
            settings: new Dictionary<string, string> { [ChatServerCommand.MetricsPortKey] = metricsPort.ToString(CultureInfo.InvariantCulture) },
            path: path);

    private static Uri MetricsUri(int port) => new($"http://127.0.0.1:{port}{MetricsOptions.Path}");

    /// <summary>Scrapes until <paramref name="series"/> is there (and its value passes <paramref name="condition"/>): the exporter may answer from a scrape a moment old.</summary>
    private static async Task<string> WaitForSeriesAsync(Uri metrics, string series, Func<double, bool>? condition = null)
    {
        using var deadline = new CancellationTokenSource(Timeout);
        var text = string.Empty;
        try
        {
            while (true)
            {
                using var response = await Http.GetAsync(metrics, deadline.Token);
                response.StatusCode.Should().Be(HttpStatusCode.OK);
                response.Content.Headers.ContentType!.MediaType.Should().Be("text/plain");
                text = await response.Content.ReadAsStringAsync(deadline.Token);
                if (SeriesNames(text).Contains(series) && (condition is null || condition(Value(text, series))))
                {
                    return text;
                }

                await Task.Delay(200, deadline.Token);
            }
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            throw new TimeoutException($"{series} did not show as expected at {metrics} within {Timeout}:\n{text}");
        }
    }

    private static HashSet<string> SeriesNames(string text) =>
        [.. text.Split('\n').Where(line => line.Length > 0 && !line.StartsWith('#')).Select(line => line.Split('{', ' ')[0])];

    /// <summary>The value of the series named <paramref name="name"/> with each of <paramref name="labels"/> (<c>key="value"</c>), summed over its lines.</summary>
    private static double Value(string text, string name, params string[] labels)
    {
        var total = 0.0;
        foreach (var line in text.Split('\n').Where(line => line.Length > 0 && !line.StartsWith('#')))
        {
            var end = line.LastIndexOf('}') is var brace and >= 0 ? brace + 1 : line.IndexOf(' ');
            var series = line[..end];
            if (series.Split('{')[0] == name && labels.All(label => series.Contains(label, StringComparison.Ordinal)))
            {
                total += double.Parse(line[(end + 1)..].Split(' ')[0], CultureInfo.InvariantCulture);
            }
        }

        return total;
    }

    // name{labels} value [timestamp]
    [GeneratedRegex("""^[a-zA-Z_:][a-zA-Z0-9_:]*(\{([a-zA-Z_][a-zA-Z0-9_]*="([^"\\]|\\.)*",?)*\})? [^ ]+( -?[0-9]+)?$""")]
    private static partial Regex SampleLine();
}
