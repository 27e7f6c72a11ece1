namespace Chat.Tests.Scaleout;

/// <summary>One Redis for a test class; tests keep apart with their own key prefix.</summary>
public sealed class RedisFixture : IAsyncLifetime
{
    private static int _prefixes;

    private RedisServer? _redis;

    public RedisServer Redis => _redis ?? throw new InvalidOperationException("Redis has not started.");

    public static string NewPrefix() => $"bp{Environment.ProcessId}x{Interlocked.Increment(ref _prefixes)}";

    public async Task InitializeAsync() => _redis = await RedisServer.StartAsync();

    public async Task DisposeAsync()
    {
        if (_redis is not null)
        {
            await _redis.DisposeAsync();
        }
    }
}
