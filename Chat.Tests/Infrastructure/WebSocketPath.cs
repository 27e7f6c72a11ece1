namespace Chat.Tests.Infrastructure;

/// <summary>
/// The two ways a hub WebSocket reaches the hub: Chat.Server's own framing in front of HTTP
/// (<c>Chat:Transport:DirectWebSockets</c>, the default) or ASP.NET Core's HTTP stack. Suites that
/// protect what users rely on run on both, because the direct path must behave like the HTTP path.
/// </summary>
public enum WebSocketPath
{
    Direct,
    Http,
}
