using Microsoft.Extensions.Options;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Chat.Server.Hosting;

/// <summary>
/// OpenTelemetry for the server: our meter, ASP.NET Core's and the runtime's, scraped by Prometheus at
/// <c>/metrics</c> on the metrics port (<see cref="MetricsOptions"/>), and exported over OTLP with our
/// traces when the standard <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set. With neither, no meter provider
/// runs at all: the instruments cost a check for listeners (and <c>dotnet-counters</c> still reads them).
/// </summary>
public static class TelemetryServiceExtensions
{
    /// <summary>The variable OpenTelemetry's OTLP exporter reads; its other <c>OTEL_*</c> variables apply too.</summary>
    public const string OtlpEndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>
    /// ASP.NET Core's own meters on .NET 10: requests, Kestrel's connections, SignalR's connections
    /// (<c>Microsoft.AspNetCore.Http.Connections</c>; SignalR has no meter of its own), routing, errors,
    /// memory pools.
    /// </summary>
    public static readonly IReadOnlyList<string> FrameworkMeters =
    [
        "Microsoft.AspNetCore.Hosting",
        "Microsoft.AspNetCore.Server.Kestrel",
        "Microsoft.AspNetCore.Http.Connections",
        "Microsoft.AspNetCore.Routing",
        "Microsoft.AspNetCore.Diagnostics",
        "Microsoft.AspNetCore.MemoryPool",
    ];

    /// <summary>The meter provider and its exporters, as configuration asks; the metrics port joins the addresses Kestrel listens on.</summary>
    public static IHostApplicationBuilder AddChatTelemetry(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<MetricsOptions>().BindConfiguration(MetricsOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        var metrics = builder.Configuration.GetSection(MetricsOptions.SectionName).Get<MetricsOptions>() ?? new MetricsOptions();
        var otlp = !string.IsNullOrWhiteSpace(builder.Configuration[OtlpEndpointVariable]);
        if (!metrics.Enabled && !otlp)
        {
            return builder;
        }

        if (metrics.Enabled)
        {
            // Plain HTTP, without the public port's direct WebSocket path: MapChatMetrics answers /metrics only.
            KestrelEndpoints.AddSidePort(builder, MetricsOptions.EndpointName, $"http://{metrics.Host}:{metrics.Port}", metrics.Port);
        }

        var telemetry = builder.Services.AddOpenTelemetry().WithMetrics(meters =>
        {
            meters.AddMeter(ChatMetrics.MeterName).AddMeter([.. FrameworkMeters]).AddRuntimeInstrumentation();
            if (metrics.Enabled)
            {
                meters.AddPrometheusExporter();
            }
        });
        if (otlp)
        {
            // ASP.NET Core's request spans (the HTTP path's requests and WebSockets) around ours.
            telemetry.WithTracing(traces => traces.AddSource(ChatActivities.SourceName, "Microsoft.AspNetCore")).UseOtlpExporter();
        }

        return builder;
    }

    /// <summary>
    /// On the metrics port, <c>/metrics</c> and nothing else; elsewhere, nothing of it (the public port's
    /// <c>/metrics</c> is a 404 like any unknown path). First in the pipeline, before the chat's guards.
    /// </summary>
    public static WebApplication MapChatMetrics(this WebApplication app)
    {
        var options = app.Services.GetRequiredService<IOptions<MetricsOptions>>().Value;
        if (!options.Enabled)
        {
            return app;
        }

        app.UseWhen(context => context.Connection.LocalPort == options.Port, metricsPort =>
        {
            metricsPort.UseOpenTelemetryPrometheusScrapingEndpoint(context => context.Request.Path == MetricsOptions.Path);
            metricsPort.Run(context =>
            {
                context.Response.StatusCode = StatusCodes.Status404NotFound;
                return Task.CompletedTask;
            });
        });
        return app;
    }
}
