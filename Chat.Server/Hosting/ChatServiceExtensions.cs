using Chat.Protocol;
using Chat.Server.Hubs;
using Chat.Server.Transport;
using Microsoft.AspNetCore.Diagnostics.HealthChecks;
using Microsoft.Extensions.Diagnostics.HealthChecks;

namespace Chat.Server.Hosting;

/// <summary>The request pipeline, in order, and the health probes.</summary>
public static class ChatServiceExtensions
{
    /// <summary>Health checks with this tag decide <c>/readyz</c>; <c>/healthz</c> only says the process is alive.</summary>
    public const string ReadyTag = "ready";

    /// <summary>The metrics port's endpoint, the guards, the hub endpoint and the health probes, in the order a request meets them.</summary>
    public static WebApplication MapChat(this WebApplication app)
    {
        app.MapChatMetrics();
        app.UseChatTransport();
        RefuseHubConnectionsWhileStopping(app);
        app.MapChatHub();
        MapHealthProbes(app);
        return app;
    }

    /// <summary>
    /// While stopping, refuse new hub connections outright, so a client that was just told to
    /// reconnect goes elsewhere (or retries) instead of landing on a server about to close it.
    /// </summary>
    private static void RefuseHubConnectionsWhileStopping(WebApplication app)
    {
        var drainer = app.Services.GetRequiredService<ConnectionDrainer>();
        app.Use((context, next) =>
        {
            if (drainer.IsStopping && context.Request.Path.StartsWithSegments(ChatEndpoints.HubPath))
            {
                context.Response.StatusCode = StatusCodes.Status503ServiceUnavailable;
                return Task.CompletedTask;
            }

            return next(context);
        });
    }

    /// <summary><c>/healthz</c>: the process is alive; <c>/readyz</c>: the checks tagged <see cref="ReadyTag"/> pass.</summary>
    private static void MapHealthProbes(WebApplication app)
    {
        app.MapHealthChecks("/healthz", new HealthCheckOptions { Predicate = _ => false });
        app.MapHealthChecks("/readyz", new HealthCheckOptions
        {
            Predicate = check => check.Tags.Contains(ReadyTag),
            ResultStatusCodes =
            {
                [HealthStatus.Healthy] = StatusCodes.Status200OK,
                [HealthStatus.Degraded] = StatusCodes.Status200OK,
                [HealthStatus.Unhealthy] = StatusCodes.Status503ServiceUnavailable,
            },
        });
    }
}
