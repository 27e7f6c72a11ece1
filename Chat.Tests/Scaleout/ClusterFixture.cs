namespace Chat.Tests.Scaleout;

/// <summary>Two nodes, one Redis, one PostgreSQL, shared by a test class whose tests keep apart by room and user names.</summary>
public class ClusterFixture : IAsyncLifetime
{
    private RedisServer? _redis;
    private PostgresServer? _postgres;
    private Cluster? _cluster;

    public Cluster Cluster => _cluster ?? throw new InvalidOperationException("The cluster has not started.");

    public Uri First => Cluster.Nodes[0].Address;

    public Uri Second => Cluster.Nodes[1].Address;

    /// <summary>Configuration every node gets besides Redis and PostgreSQL.</summary>
    protected virtual IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string>();

    public async Task InitializeAsync()
    {
        var redis = RedisServer.StartAsync();
        var postgres = PostgresServer.StartAsync();
        _redis = await redis;
        _postgres = await postgres;
        _cluster = await Cluster.StartAsync(2, _redis, _postgres, Settings);
        await _cluster.WaitUntilHealthyAsync(TimeSpan.FromSeconds(30));
    }

    public async Task DisposeAsync()
    {
        if (_cluster is not null)
        {
            await _cluster.DisposeAsync();
        }

        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }

        if (_postgres is not null)
        {
            await _postgres.DisposeAsync();
        }
    }
}
