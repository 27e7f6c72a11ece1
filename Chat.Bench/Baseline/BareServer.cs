using Chat.Bench.Load;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace Chat.Bench.Baseline;

/// <summary>
/// The baseline host: an ASP.NET Core app with the bare hub and nothing else, logging as the web
/// template does. Its content root is the working folder the bench gives it (empty), so no settings
/// file of another app changes it. Given a Redis, it is a node of a bare cluster: Microsoft's Redis
/// backplane added the documented way, with its defaults.
/// </summary>
public static class BareServer
{
    public static async Task<int> RunAsync(string urls, string? redis = null, CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateBuilder();
        builder.WebHost.UseUrls(urls);
        builder.Logging.SetMinimumLevel(LogLevel.Information);
        builder.Logging.AddFilter("Microsoft.AspNetCore", LogLevel.Warning);
        var signalR = builder.Services.AddSignalR();
        if (!string.IsNullOrEmpty(redis))
        {
            signalR.AddStackExchangeRedis(redis);
        }

        var app = builder.Build();
        app.MapHub<BareChatHub>(HubDialect.HubPath);
        await HostingAbstractionsHostExtensions.RunAsync(app, cancellationToken);
        return 0;
    }
}
