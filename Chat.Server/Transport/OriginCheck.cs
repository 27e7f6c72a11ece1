using Chat.Protocol;
using Chat.Server.Hosting;

namespace Chat.Server.Transport;

/// <summary>
/// Refuses hub connections from browser pages of other sites (cross-site WebSocket hijacking): a
/// request with an <c>Origin</c> header must come from the server's own origin or one listed in
/// <c>Chat:AllowedOrigins</c>. Clients that send no Origin (not browsers) are let through.
/// </summary>
public sealed class OriginCheck(IConfiguration configuration, ChatMetrics metrics, ILogger<OriginCheck> logger)
{
    public const string SectionName = "Chat:AllowedOrigins";

    private readonly HashSet<string> _allowed = new(
        (configuration.GetSection(SectionName).Get<string[]>() ?? []).Select(origin => origin.TrimEnd('/')),
        StringComparer.OrdinalIgnoreCase);

    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        if (context.Request.Path.StartsWithSegments(ChatEndpoints.HubPath) && await RefuseForeignAsync(context))
        {
            return;
        }

        await next(context);
    }

    /// <summary>Answers 403 and returns true when the request comes from a browser page of a foreign origin; otherwise does nothing.</summary>
    public async Task<bool> RefuseForeignAsync(HttpContext context)
    {
        if (context.Request.Headers.Origin.ToString() is not { Length: > 0 } origin
            || Allows(context.Request.Scheme, context.Request.Host.ToString(), origin))
        {
            return false;
        }

        metrics.Rejected("origin");
        logger.ForeignOrigin(origin);
        context.Response.StatusCode = StatusCodes.Status403Forbidden;
        await context.Response.WriteAsync("Connections from this origin are not allowed.", context.RequestAborted);
        return true;
    }

    /// <summary>Whether a request for <paramref name="host"/> may come from <paramref name="origin"/> (none: not a browser, allowed).</summary>
    public bool Allows(string scheme, string? host, string? origin) =>
        string.IsNullOrEmpty(origin)
        || IsOwnOrigin(scheme, host, origin)
        || _allowed.Contains(origin);

    /// <summary>Whether <paramref name="origin"/> is the server's own, as the request for <paramref name="host"/> names it.</summary>
    public static bool IsOwnOrigin(string scheme, string? host, string origin) =>
        string.Equals(origin, $"{scheme}://{host}", StringComparison.OrdinalIgnoreCase);
}
