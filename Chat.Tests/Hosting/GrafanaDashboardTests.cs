using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using Chat.Client;
using Chat.Testing;
using Chat.Tests.Infrastructure;
using Chat.Tests.Scaleout;

namespace Chat.Tests.Hosting;

/// <summary>
/// The Grafana dashboard docker-compose.yml provisions (deploy/grafana/dashboards): every query it
/// makes is one Prometheus accepts, about series a running cluster node really exports. A renamed
/// instrument shows up here, not as an empty panel in production.
/// </summary>
public sealed partial class GrafanaDashboardTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(45);

    [Fact]
    public async Task Every_panel_queries_series_a_cluster_node_exports_in_queries_prometheus_accepts()
    {
        var queries = DashboardQueries();
        queries.Should().NotBeEmpty();

        var metricsPort = FreePort.Next();
        await using var redis = await RedisServer.StartAsync();
        await using var node = await ChatServerProcess.StartAsync(
            settings: new Dictionary<string, string>
            {
                [ChatServerCommand.MetricsPortKey] = metricsPort.ToString(CultureInfo.InvariantCulture),
                ["Chat:Redis:Configuration"] = redis.Configuration,
                ["Chat:Redis:Prefix"] = $"dashboard{Environment.ProcessId}",

                // Sweeps (a panel of their own) start once Redis has answered for a whole node timeout.
                ["Chat:Redis:HeartbeatInterval"] = "00:00:00.500",
                ["Chat:Redis:NodeTimeout"] = "00:00:01",
            },
            path: WebSocketPath.Http);
        await using var prometheus = await PrometheusServer.StartAsync($"127.0.0.1:{metricsPort}");

        // Traffic for every panel: a room message (received, delivered, acknowledged, stored) and a refusal.
        var room = Names.Room();
        await using var alice = await TestClient.ConnectAsync(node.Address, Names.User("alice"));
        await using var bob = await TestClient.ConnectAsync(node.Address, Names.User("bob"));
        await alice.Client.JoinAsync(room);
        await bob.Client.JoinAsync(room);
        await alice.Client.SendAsync(room, "for the dashboard");
        await bob.Messages.WaitForCountAsync(1);
        var refused = () => alice.Client.SendAsync(room, " ");
        await refused.Should().ThrowAsync<ChatException>();

        foreach (var series in queries.SelectMany(query => SeriesIn(query.Expression)).Distinct())
        {
            await prometheus.WaitForAsync($"count({series})", count => count > 0, Timeout);
        }

        foreach (var (panel, expression) in queries)
        {
            (await prometheus.AcceptsAsync(expression)).Should().BeTrue($"the query of the panel \"{panel}\" ({expression}) should be valid PromQL");
        }
    }

    [Fact]
    public async Task Grafana_is_provisioned_with_the_compose_files_prometheus_and_the_dashboard()
    {
        var datasource = await File.ReadAllTextAsync(Path.Combine(RepositoryPaths.Root, "deploy", "grafana", "provisioning", "datasources", "prometheus.yml"));
        datasource.Should().Contain("url: http://prometheus:9090").And.Contain("uid: prometheus");
        var provider = await File.ReadAllTextAsync(Path.Combine(RepositoryPaths.Root, "deploy", "grafana", "provisioning", "dashboards", "signalrchat.yml"));
        provider.Should().Contain("path: /var/lib/grafana/dashboards");

        using var dashboard = JsonDocument.Parse(await File.ReadAllTextAsync(DashboardPath()));
        foreach (var panel in dashboard.RootElement.GetProperty("panels").EnumerateArray())
        {
            panel.GetProperty("datasource").GetProperty("uid").GetString().Should().Be("prometheus", "every panel reads the provisioned data source");
        }
    }

    private static string DashboardPath() => Path.Combine(RepositoryPaths.Root, "deploy", "grafana", "dashboards", "signalrchat.json");

    private static List<(string Panel, string Expression)> DashboardQueries()
    {
        using var dashboard = JsonDocument.Parse(File.ReadAllText(DashboardPath()));
        return
        [
            .. dashboard.RootElement.GetProperty("panels").EnumerateArray()
                .SelectMany(panel => panel.GetProperty("targets").EnumerateArray()
                    .Select(target => (panel.GetProperty("title").GetString()!, target.GetProperty("expr").GetString()!))),
        ];
    }

    /// <summary>The series a query reads: with the <c>by (...)</c> label lists taken out, the names followed by a selector, a range or a closing parenthesis.</summary>
    private static IEnumerable<string> SeriesIn(string expression) =>
        SeriesName().Matches(Grouping().Replace(expression, " ")).Select(match => match.Groups[1].Value);

    [GeneratedRegex(@"\bby\s*\([^)]*\)")]
    private static partial Regex Grouping();

    // A metric name as it stands in a query: followed by a range, a closing parenthesis or a label selector.
    [GeneratedRegex(@"\b([a-z_][a-z0-9_]*)\s*(?=\[|\)|\{)")]
    private static partial Regex SeriesName();
}
