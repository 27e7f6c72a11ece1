using Microsoft.Playwright;

namespace Chat.Tests.Web;

/// <summary>
/// Stands between a page and the hub's WebSocket: while closed, every new connection attempt of the page
/// is refused, so a test can keep the page away while others talk, then let it back.
/// </summary>
public sealed class ConnectionGate
{
    private volatile bool _closed;

    public void Close() => _closed = true;

    public void Open() => _closed = false;

    internal Task AttachAsync(IBrowserContext context) =>
        context.RouteWebSocketAsync("**/hubs/chat**", async socket =>
        {
            if (_closed)
            {
                await socket.CloseAsync(new WebSocketRouteCloseOptions { Code = 1011, Reason = "held away by the test" });
            }
            else
            {
                socket.ConnectToServer();
            }
        });
}
