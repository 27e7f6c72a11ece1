using Chat.Protocol;
using Chat.Server.Hosting;
using Chat.Server.Transport.Internal;

namespace Chat.Server.Transport;

/// <summary>
/// HTTP middleware in front of the hub endpoint: a WebSocket upgrade of the hub path that asks for
/// another WebSocket version gets 426 with the version this server speaks (RFC 6455 section 4.4), and
/// one over HTTP/1.0 gets 400 (section 4.1 asks for HTTP/1.1). The direct WebSocket path leaves both to
/// this.
/// </summary>
public sealed class UpgradeCheck(ChatMetrics metrics)
{
    public const string WebSocketVersion = "13";

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var request = context.Request;
        if (!request.Path.StartsWithSegments(ChatEndpoints.HubPath) || !HttpMethods.IsGet(request.Method)
            || !WebSocketHandshake.HasToken(request.Headers.Upgrade.ToString(), "websocket"))
        {
            await next(context);
            return;
        }

        if (HttpProtocol.IsHttp10(request.Protocol))
        {
            metrics.Rejected("http10_upgrade");
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            await context.Response.WriteAsync("WebSocket connections need HTTP/1.1.", context.RequestAborted);
            return;
        }

        if (request.Headers.SecWebSocketVersion.ToString() != WebSocketVersion)
        {
            metrics.Rejected("websocket_version");
            context.Response.StatusCode = StatusCodes.Status426UpgradeRequired;
            context.Response.Headers.SecWebSocketVersion = WebSocketVersion;
            await context.Response.WriteAsync($"This server speaks WebSocket version {WebSocketVersion}.", context.RequestAborted);
            return;
        }

        await next(context);
    }
}
