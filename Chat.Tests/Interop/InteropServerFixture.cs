using Chat.Protocol;
using Chat.Tests.Infrastructure;

namespace Chat.Tests.Interop;

/// <summary>
/// A server for the interoperability tests, on one of the two ways a plain hub WebSocket can take:
/// our own framing (<see cref="DirectPathServerFixture"/>) or ASP.NET Core's HTTP stack
/// (<see cref="HttpPathServerFixture"/>). Every client's tests run against both.
/// </summary>
public abstract class InteropServerFixture : ChatServerFixture
{
    /// <summary>The hub's WebSocket address, as a client that skips negotiate dials it.</summary>
    public Uri HubUri => new($"ws://127.0.0.1:{Server.Port}{ChatEndpoints.HubPath}");

    /// <summary>
    /// The close status a client sees after sending one frame over twice <c>Chat:Limits:MaxMessageBytes</c>.
    /// The paths answer differently, each as it is documented: the direct path refuses the frame itself
    /// with 1009 (docs/protocol.md), while through the HTTP stack the frame reaches SignalR, which ends
    /// the connection over its size limit with its own close message and then a normal close.
    /// </summary>
    public abstract int OversizeCloseStatus { get; }
}

/// <summary>Hub WebSockets framed by Chat.Server itself (<c>Chat:Transport:DirectWebSockets=true</c>, the default).</summary>
public sealed class DirectPathServerFixture : InteropServerFixture
{
    public override WebSocketPath Path => WebSocketPath.Direct;

    public override int OversizeCloseStatus => 1009;
}

/// <summary>Hub WebSockets through ASP.NET Core's HTTP stack and its ManagedWebSocket (<c>Chat:Transport:DirectWebSockets=false</c>).</summary>
public sealed class HttpPathServerFixture : InteropServerFixture
{
    public override WebSocketPath Path => WebSocketPath.Http;

    public override int OversizeCloseStatus => 1000;
}
