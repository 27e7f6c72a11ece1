using System.ComponentModel.DataAnnotations;

namespace Chat.Server.Hosting;

/// <summary>
/// Configuration section <c>Chat:Metrics</c>: where Prometheus scrapes the server. The endpoint has a
/// port of its own, apart from the public one, so it is not on the internet with the chat.
/// </summary>
public sealed class MetricsOptions
{
    public const string SectionName = "Chat:Metrics";

    /// <summary>Kestrel's endpoint name for the metrics port, when the public addresses are <c>Kestrel:Endpoints</c>.</summary>
    public const string EndpointName = "ChatMetrics";

    /// <summary>The scrape endpoint's path on <see cref="Port"/>.</summary>
    public const string Path = "/metrics";

    /// <summary>The port <c>/metrics</c> answers on (appsettings.json: 9464); 0 turns the endpoint off.</summary>
    [Range(0, 65535)]
    public int Port { get; set; }

    /// <summary>
    /// The address the metrics port listens on: <c>localhost</c> (the default) or, for a scraper on
    /// another machine, an address such as <c>0.0.0.0</c>. A server that listens on any address other
    /// than loopback answers every <c>Host</c> unless <c>AllowedHosts</c> names its hosts.
    /// </summary>
    [Required]
    public string Host { get; set; } = "localhost";

    public bool Enabled => Port > 0;
}
