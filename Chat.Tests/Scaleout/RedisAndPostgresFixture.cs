namespace Chat.Tests.Scaleout;

/// <summary>One Redis and one PostgreSQL for a test class; each test starts its own cluster (own key prefix, own database).</summary>
public sealed class RedisAndPostgresFixture : IAsyncLifetime
{
    private RedisServer? _redis;
    private PostgresServer? _postgres;

    public RedisServer Redis => _redis ?? throw new InvalidOperationException("Redis has not started.");

    public PostgresServer Postgres => _postgres ?? throw new InvalidOperationException("PostgreSQL has not started.");

    public async Task InitializeAsync()
    {
        var redis = RedisServer.StartAsync();
        var postgres = PostgresServer.StartAsync();
        _redis = await redis;
        _postgres = await postgres;
    }

    public async Task DisposeAsync()
    {
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
