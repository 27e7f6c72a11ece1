using System.Net;
using Chat.Tests.Infrastructure;

namespace Chat.Tests.Scaleout;

/// <summary>
/// Chat.Server processes sharing one Redis (under their own key prefix) and one PostgreSQL database:
/// a cluster as users run it, minus the load balancer.
/// </summary>
public sealed class Cluster : IAsyncDisposable
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(5) };

    private static int _clusters;

    private readonly List<ChatServerProcess> _nodes = [];
    private readonly Dictionary<string, string> _settings;

    private Cluster(RedisServer redis, Dictionary<string, string> settings)
    {
        Redis = redis;
        _settings = settings;
    }

    public RedisServer Redis { get; }

    public IReadOnlyList<ChatServerProcess> Nodes => _nodes;

    public string PostgresConnectionString => _settings["Chat:History:PostgresConnectionString"];

    /// <param name="extra">More configuration for every node.</param>
    public static async Task<Cluster> StartAsync(int nodes, RedisServer redis, PostgresServer postgres, IReadOnlyDictionary<string, string>? extra = null)
    {
        var settings = new Dictionary<string, string>(extra ?? new Dictionary<string, string>())
        {
            ["Chat:Redis:Configuration"] = redis.Configuration,
            ["Chat:Redis:Prefix"] = $"test{Environment.ProcessId}c{Interlocked.Increment(ref _clusters)}",
            ["Chat:History:Provider"] = "Postgres",
            ["Chat:History:PostgresConnectionString"] = await postgres.CreateDatabaseAsync(),
        };
        var cluster = new Cluster(redis, settings);
        await Task.WhenAll(Enumerable.Range(0, nodes).Select(_ => cluster.AddNodeAsync()));
        return cluster;
    }

    /// <param name="extra">Configuration for this node only (e.g. its TCP door's port).</param>
    public async Task<ChatServerProcess> AddNodeAsync(IReadOnlyDictionary<string, string>? extra = null)
    {
        var settings = new Dictionary<string, string>(_settings);
        foreach (var (key, value) in extra ?? new Dictionary<string, string>())
        {
            settings[key] = value;
        }

        var node = await ChatServerProcess.StartAsync(settings: settings);
        lock (_nodes)
        {
            _nodes.Add(node);
        }

        return node;
    }

    /// <summary>The node's <c>/readyz</c> answer: status code and body ("Healthy", "Degraded", "Unhealthy").</summary>
    public static async Task<(HttpStatusCode Status, string Body)> ReadinessAsync(ChatServerProcess node)
    {
        using var response = await Http.GetAsync(new Uri(node.Address, "/readyz"));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    public static async Task<HttpStatusCode> LivenessAsync(ChatServerProcess node)
    {
        using var response = await Http.GetAsync(new Uri(node.Address, "/healthz"));
        return response.StatusCode;
    }

    /// <summary>Waits until every running node reports Healthy (Redis answers and holds its state).</summary>
    public async Task WaitUntilHealthyAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        foreach (var node in _nodes.Where(node => node.ProcessId is not null))
        {
            var last = string.Empty;
            while (true)
            {
                try
                {
                    last = (await ReadinessAsync(node)).Body;
                    if (last == "Healthy")
                    {
                        break;
                    }
                }
                catch (HttpRequestException ex)
                {
                    last = ex.Message;
                }

                try
                {
                    await Task.Delay(100, cancel.Token);
                }
                catch (OperationCanceledException)
                {
                    throw new TimeoutException($"Node {node.Port} was not healthy within {timeout}: {last}\n{node.Output}");
                }
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var node in _nodes)
        {
            await node.DisposeAsync();
        }
    }
}
