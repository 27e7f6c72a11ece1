using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Chat.Server.Hosting;

/// <summary>
/// The server's side ports (the metrics port, the TCP door): each joins the addresses Kestrel listens
/// on the way the public ones are given, and says what its listener runs instead of the public port's
/// defaults. Kestrel ignores <c>urls</c> (and the HTTP ports) as soon as an endpoint is added in code
/// (<c>Listen</c>), so a side port is added to <c>Kestrel:Endpoints</c> when the public addresses are
/// configured there, and to <c>urls</c> otherwise; its listener is recognised by its port in the one
/// <c>ConfigureEndpointDefaults</c> (<see cref="Transport.TransportServiceExtensions.AddChatTransport"/>).
/// </summary>
public static class KestrelEndpoints
{
    private const string Section = "Kestrel:Endpoints";

    /// <summary>
    /// Listens on <paramref name="url"/> as well, under <paramref name="name"/> when endpoints are
    /// configured; <paramref name="configure"/> sets up its listener (none: plain HTTP without the
    /// public port's direct WebSocket path).
    /// </summary>
    public static void AddSidePort(IHostApplicationBuilder builder, string name, string url, int port, Action<ListenOptions>? configure = null)
    {
        var configuration = builder.Configuration;
        if (configuration.GetSection(Section).GetChildren().Any())
        {
            configuration[$"{Section}:{name}:Url"] = url;
        }
        else
        {
            configuration[WebHostDefaults.ServerUrlsKey] = string.Join(';', [.. PublicAddresses(configuration), url]);
        }

        builder.Services.Configure<SidePortOptions>(ports => ports.Listeners[port] = configure ?? (_ => { }));
    }

    /// <summary>What Kestrel listens on without endpoints: <c>urls</c>, else the HTTP(S) ports on every address, else http://localhost:5000.</summary>
    private static IEnumerable<string> PublicAddresses(IConfiguration configuration)
    {
        var urls = Split(configuration[WebHostDefaults.ServerUrlsKey]);
        if (urls.Length > 0)
        {
            return urls;
        }

        var ports = Split(configuration[WebHostDefaults.HttpPortsKey]).Select(port => $"http://*:{port}")
            .Concat(Split(configuration[WebHostDefaults.HttpsPortsKey]).Select(port => $"https://*:{port}"))
            .ToList();
        return ports.Count > 0 ? ports : ["http://localhost:5000"];
    }

    private static string[] Split(string? value) =>
        (value ?? "").Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
