namespace Chat.Tests.Infrastructure;

/// <summary>One server shared by a test class; tests keep apart by using their own room and user names.</summary>
public class ChatServerFixture : IAsyncLifetime
{
    private ChatServerProcess? _server;

    public ChatServerProcess Server => _server ?? throw new InvalidOperationException("The server has not started.");

    public Uri Address => Server.Address;

    /// <summary>Configuration passed to the server; the defaults are the real ones.</summary>
    protected virtual IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string>();

    /// <summary>The way the server's hub WebSockets take.</summary>
    public virtual WebSocketPath Path => WebSocketPath.Direct;

    public async Task InitializeAsync() => _server = await ChatServerProcess.StartAsync(settings: Settings, path: Path);

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}

/// <summary>
/// A server whose rate limits are out of the way, for tests that seed hundreds of messages or rooms
/// quickly; what they check is not the rate limits (LimitsTests does that on a default server).
/// </summary>
public class UnthrottledServerFixture : ChatServerFixture
{
    protected override IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string>
    {
        ["Chat:Limits:SendsPerSecond"] = "100000",
        ["Chat:Limits:SendBurst"] = "100000",
        ["Chat:Limits:JoinsPerSecond"] = "100000",
        ["Chat:Limits:JoinBurst"] = "100000",
        ["Chat:Limits:InboundMessagesPerSecond"] = "100000",
        ["Chat:Limits:InboundBurst"] = "100000",
    };
}

/// <summary>
/// A server that collects joins and leaves for a minute before telling a room, so tests see exactly
/// which changes travel together and what sends them early (a message, a rename).
/// </summary>
public sealed class SlowPresenceServerFixture : ChatServerFixture
{
    protected override IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string>
    {
        ["Chat:Rooms:PresenceIntervalMilliseconds"] = "60000",
    };
}

/// <summary>A server whose hub WebSockets go through ASP.NET Core's HTTP stack (<c>Chat:Transport:DirectWebSockets=false</c>).</summary>
public sealed class HttpWebSocketServerFixture : ChatServerFixture
{
    public override WebSocketPath Path => WebSocketPath.Http;
}

/// <summary>The <see cref="UnthrottledServerFixture"/> with hub WebSockets through the HTTP stack.</summary>
public sealed class UnthrottledHttpServerFixture : UnthrottledServerFixture
{
    public override WebSocketPath Path => WebSocketPath.Http;
}
