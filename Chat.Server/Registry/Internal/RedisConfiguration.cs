using StackExchange.Redis;

namespace Chat.Server.Registry.Internal;

/// <summary>
/// How every multiplexer of a node talks to Redis (the registry's and the backplane's): it starts
/// while Redis is down and keeps reconnecting, and no command waits longer than
/// <see cref="RedisOptions.OperationTimeout"/>.
/// </summary>
internal static class RedisConfiguration
{
    public static ConfigurationOptions For(RedisOptions options, string clientName)
    {
        var configuration = ConfigurationOptions.Parse(options.Configuration ?? throw new InvalidOperationException("Chat:Redis:Configuration is not set."));
        var timeout = (int)options.OperationTimeout.TotalMilliseconds;
        configuration.AbortOnConnectFail = false;
        configuration.ConnectRetry = 1;
        configuration.ConnectTimeout = Math.Max(1000, timeout * 2);
        configuration.SyncTimeout = timeout;
        configuration.AsyncTimeout = timeout;

        // By default a command issued while the socket is down waits in a backlog until the timeout
        // (5 s unless set) in case the link comes back. A node answers from its own view instead, so
        // such a command should fail at once; the probe decides when Redis is worth asking again.
        configuration.BacklogPolicy = BacklogPolicy.FailFast;
        configuration.KeepAlive = Math.Max(1, (int)options.HeartbeatInterval.TotalSeconds);
        configuration.ClientName ??= clientName;
        return configuration;
    }

    /// <summary>
    /// The official backplane's multiplexer: configured as the registry's, and under the cluster's
    /// prefix (StackExchange.Redis puts it before every channel), so several clusters can share one Redis.
    /// </summary>
    public static ConfigurationOptions ForBackplane(RedisOptions options, RedisConnection redis)
    {
        var configuration = For(options, $"signalrchat-{redis.NodeId}-backplane");
        configuration.ChannelPrefix = RedisChannel.Literal(redis.Prefix);
        return configuration;
    }
}
