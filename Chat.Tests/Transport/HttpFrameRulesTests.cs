using Chat.Tests.Infrastructure;

namespace Chat.Tests.Transport;

/// <summary>The frame rules through ASP.NET Core's HTTP stack and its WebSocket implementation (ManagedWebSocket).</summary>
public sealed class HttpFrameRulesTests(HttpWebSocketServerFixture fixture) : FrameRulesTests(fixture), IClassFixture<HttpWebSocketServerFixture>
{
    // SignalR's WebSocket transport closes its side with 1000 whatever status the client closed with;
    // RFC 6455 only says an endpoint typically echoes it.
    protected override ushort CloseAnswerTo(ushort status) => 1000;

    // ManagedWebSocket fails a close reason that is not UTF-8 as a protocol error, not with the 1007
    // RFC 6455 names for data that does not match its type.
    protected override ushort BadCloseReasonAnswer => 1002;

    protected override bool MayResetAfterProtocolClose => true;
}
