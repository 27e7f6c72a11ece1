
namespace Chat.Server.Hosting;

/// <summary>
/// Adds a named endpoint under <c>Kestrel:Endpoints</c> without losing the public addresses. Kestrel
/// ignores <c>urls</c> (and the HTTP ports) as soon as any endpoint is configured, so when none is, the
/// addresses Kestrel would have taken from them become endpoints first, and those keys are cleared so
/// Kestrel does not warn that it overrides them.
/// </summary>
public static class KestrelEndpoints
{
    private const string Section = "Kestrel:Endpoints";

    public static void Add(IConfiguration configuration, string name, string url)
    {
        if (!configuration.GetSection(Section).GetChildren().Any())
        {
            var index = 0;
            foreach (var address in PublicAddresses(configuration))
            {
                configuration[$"{Section}:Urls{index++}:Url"] = address;
            }

            configuration[WebHostDefaults.ServerUrlsKey] = "";
            configuration[WebHostDefaults.HttpPortsKey] = "";
            configuration[WebHostDefaults.HttpsPortsKey] = "";
        }

        configuration[$"{Section}:{name}:Url"] = url;
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
