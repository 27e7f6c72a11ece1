using Chat.Protocol;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.SignalR;

namespace Chat.Server.Transport;

/// <summary>
/// What a hub connection asked for: the nickname (<c>?name=</c>) and the client key (<c>?key=</c>, or
/// else the bearer token of an <c>Authorization</c> header). Connections that came through
/// <see cref="DirectWebSockets"/> have no <c>HttpContext</c>; they carry this feature instead, and the
/// others are read from their request.
/// </summary>
/// <remarks>
/// Browsers cannot set headers on a WebSocket, so the page sends its key in the query; the .NET client
/// sends it as its access token, a header, which keeps the secret out of URLs and whatever logs them.
/// </remarks>
public sealed record ConnectionRequest(string? Name, string? Key)
{
    private const string BearerPrefix = "Bearer ";

    public static ConnectionRequest Of(IFeatureCollection features, HttpContext? httpContext)
    {
        if (features.Get<ConnectionRequest>() is { } request)
        {
            return request;
        }

        var http = httpContext?.Request;
        return new ConnectionRequest(
            http?.Query[ChatEndpoints.NameParameter].ToString(),
            KeyOf(http?.Query[ChatEndpoints.KeyParameter].ToString(), http?.Headers.Authorization.ToString()));
    }

    /// <summary>The client key: the query's when it has one, else the token of an <c>Authorization: Bearer</c> header.</summary>
    public static string? KeyOf(string? queryKey, string? authorization)
    {
        if (!string.IsNullOrEmpty(queryKey))
        {
            return queryKey;
        }

        return authorization is not null && authorization.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase)
            ? authorization[BearerPrefix.Length..].Trim()
            : null;
    }

    public static ConnectionRequest Of(HubCallerContext context) => Of(context.Features, context.GetHttpContext());

    public static ConnectionRequest Of(HubConnectionContext connection) => Of(connection.Features, connection.GetHttpContext());
}
