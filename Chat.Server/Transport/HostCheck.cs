using System.Net;
using Microsoft.AspNetCore.HostFiltering;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace Chat.Server.Transport;

/// <summary>
/// Which <c>Host</c> a request may name: ASP.NET Core's host filtering (<see cref="HostFilteringOptions"/>,
/// <c>AllowedHosts</c>) answers the HTTP stack's requests with 400; the direct WebSocket path asks this
/// the same question of the same options and leaves a foreign Host to that middleware. A server that
/// listens only on loopback addresses and was given no hosts takes only loopback names, so a page whose
/// own name resolves to 127.0.0.1 (DNS rebinding) is not its own origin here.
/// </summary>
public sealed class HostCheck(IOptionsMonitor<HostFilteringOptions> options)
{
    /// <summary>What a loopback-only server answers to when <c>AllowedHosts</c> is <c>*</c> or unset (any port).</summary>
    public static readonly IReadOnlyList<string> LoopbackHosts = ["localhost", "127.0.0.1", "[::1]"];

    private (HostFilteringOptions Options, StringSegment[]? Hosts) _processed;

    /// <summary>Whether <paramref name="host"/> (a Host header's value) is one this server answers to, as <c>HostFilteringMiddleware</c> decides it.</summary>
    public bool Allows(string host)
    {
        if (string.IsNullOrEmpty(host))
        {
            return options.CurrentValue.AllowEmptyHosts;
        }

        var hosts = Processed();
        return hosts is null || HostString.MatchesAny(new StringSegment(host), hosts);
    }

    /// <summary>
    /// Restricts <c>AllowedHosts</c> to <see cref="LoopbackHosts"/> when it allows any host and every
    /// address the server listens on is a loopback one. Runs after the host's own post-configuration,
    /// which turns an unset <c>AllowedHosts</c> into <c>*</c>.
    /// </summary>
    public static void RestrictToLoopback(HostFilteringOptions options, IConfiguration configuration)
    {
        if (options.AllowedHosts.All(IsAnyHost) && ListensOnLoopbackOnly(configuration))
        {
            options.AllowedHosts = [.. LoopbackHosts];
        }
    }

    // As HostFilteringMiddleware reads its options: punycode forms, and null when any host will do.
    private StringSegment[]? Processed()
    {
        var current = options.CurrentValue;
        var processed = _processed;
        if (!ReferenceEquals(processed.Options, current))
        {
            var hosts = current.AllowedHosts.Select(host => new HostString(host).ToUriComponent()).ToArray();
            processed = (current, hosts.Length == 0 || hosts.Any(IsAnyHost) ? null : [.. hosts.Select(host => new StringSegment(host))]);
            _processed = processed;
        }

        return processed.Hosts;
    }

    private static bool IsAnyHost(string host) => host is "*" or "[::]" or "0.0.0.0";

    /// <summary>The addresses Kestrel will listen on, as it picks them: its endpoints, else <c>urls</c>, else the HTTP(S) ports on every address, else http://localhost:5000.</summary>
    private static bool ListensOnLoopbackOnly(IConfiguration configuration)
    {
        var urls = configuration.GetSection("Kestrel:Endpoints").GetChildren().Select(endpoint => endpoint["Url"]).OfType<string>().ToList();
        if (urls.Count == 0)
        {
            urls.AddRange((configuration["urls"] ?? string.Empty).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        }

        if (urls.Count == 0)
        {
            return string.IsNullOrEmpty(configuration["http_ports"]) && string.IsNullOrEmpty(configuration["https_ports"]);
        }

        return urls.All(IsLoopback);
    }

    private static bool IsLoopback(string url)
    {
        BindingAddress address;
        try
        {
            address = BindingAddress.Parse(url);
        }
        catch (FormatException)
        {
            return false;
        }

        return !address.IsUnixPipe
            && (string.Equals(address.Host, "localhost", StringComparison.OrdinalIgnoreCase)
                || (IPAddress.TryParse(address.Host.Trim('[', ']'), out var ip) && IPAddress.IsLoopback(ip)));
    }
}
