using Chat.Server.Transport;

namespace Chat.Server.Admin.Internal;

/// <summary>
/// The admin API answers only the admin page itself: a browser request must carry the server's own
/// <c>Origin</c> (<c>Chat:AllowedOrigins</c> does not apply here) and no <c>Sec-Fetch-Site</c> other
/// than <c>same-origin</c> or <c>none</c>. A caller without either header is not a browser (curl on
/// the server's machine) and is let through: the admin policy already decided it may ask. Another
/// site's page, which could otherwise make an administrator's browser close rooms, gets 403.
/// </summary>
internal sealed class SameOriginFilter(ILogger<SameOriginFilter> logger) : IEndpointFilter
{
    public ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var request = context.HttpContext.Request;
        var origin = request.Headers.Origin.ToString();
        var site = request.Headers["Sec-Fetch-Site"].ToString();
        var sameOrigin = (origin.Length == 0 || OriginCheck.IsOwnOrigin(request.Scheme, request.Host.ToString(), origin))
            && site is "" or "same-origin" or "none";
        if (sameOrigin)
        {
            return next(context);
        }

        logger.ForeignOrigin(origin.Length > 0 ? origin : site);
        return ValueTask.FromResult<object?>(Results.StatusCode(StatusCodes.Status403Forbidden));
    }
}
