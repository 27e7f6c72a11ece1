using Chat.Protocol;
using Microsoft.Playwright;

namespace Chat.Tests.Web;

/// <summary>
/// Stands between a page and the hub's WebSocket and keeps the page's <c>SendMessage</c> calls from the
/// server until released, so a test can look at sends the server has not seen yet. Everything else
/// passes straight through.
/// </summary>
public sealed class HeldSends
{
    private static readonly string SendTarget = $"\"target\":\"{nameof(IChatHub.SendMessage)}\"";

    private readonly List<(IWebSocketRoute Server, string Frame)> _held = [];
    private bool _holding = true;

    /// <summary>Sends what was held, in order, and lets later sends through.</summary>
    public void Release()
    {
        lock (_held)
        {
            _holding = false;
            foreach (var (server, frame) in _held)
            {
                server.Send(frame);
            }

            _held.Clear();
        }
    }

    internal Task AttachAsync(IBrowserContext context) =>
        context.RouteWebSocketAsync("**/hubs/chat**", page =>
        {
            var server = page.ConnectToServer();
            page.OnMessage(frame =>
            {
                lock (_held)
                {
                    if (frame.Text is { } text)
                    {
                        if (_holding && text.Contains(SendTarget, StringComparison.Ordinal))
                        {
                            _held.Add((server, text));
                        }
                        else
                        {
                            server.Send(text);
                        }
                    }
                    else if (frame.Binary is { } bytes)
                    {
                        server.Send(bytes);
                    }
                }
            });
        });
}
