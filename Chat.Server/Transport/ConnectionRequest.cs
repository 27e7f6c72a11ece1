using Chat.Protocol;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.SignalR;

namespace Chat.Server.Transport;

/// <summary>
/// What a hub connection asked for: the nickname (<c>?name=</c>), the guest's client key (<c>?key=</c>,
/// or else a bearer value that is not a token) and the access token (<c>?access_token=</c>, or else a
/// bearer value that is a JWT). Connections that came through <see cref="DirectWebSockets"/> or a door
/// have no <c>HttpContext</c>; they carry this feature instead, and the others are read from their request.
/// </summary>
/// <remarks>
/// Browsers cannot set headers on a WebSocket, so the page sends its key and token in the query; the
/// .NET client sends them as its access token, a header, which keeps the secret out of URLs and
/// whatever logs them. A JWT is three dot-separated base64url parts; a client key never has two dots.
/// </remarks>
public sealed record ConnectionRequest(string? Name, string? Key, string? AccessToken = null)
{
    private const string BearerPrefix = "Bearer ";

    public static ConnectionRequest Of(IFeatureCollection features, HttpContext? httpContext)
    {
        if (features.Get<ConnectionRequest>() is { } request)
        {
            return request;
        }

        var http = httpContext?.Request;
        return From(
            http?.Query[ChatEndpoints.NameParameter].ToString(),
            http?.Query[ChatEndpoints.KeyParameter].ToString(),
            http?.Query[ChatEndpoints.AccessTokenParameter].ToString(),
            http?.Headers.Authorization.ToString());
    }

    /// <summary>The request as the query and the <c>Authorization</c> header give it.</summary>
    public static ConnectionRequest From(string? name, string? queryKey, string? queryToken, string? authorization)
    {
        var bearer = BearerOf(authorization);
        var bearerIsToken = LooksLikeToken(bearer);
        return new ConnectionRequest(
            NullIfEmpty(name),
            NullIfEmpty(queryKey) ?? (bearerIsToken ? null : bearer),
            NullIfEmpty(queryToken) ?? (bearerIsToken ? bearer : null));
    }

    /// <summary>Whether a bearer value is an access token (a JWT: three dot-separated parts) rather than a guest's client key.</summary>
    public static bool LooksLikeToken(string? value) =>
        value is { Length: > 0 } && value.AsSpan().Count('.') == 2;

    public static ConnectionRequest Of(HubCallerContext context) => Of(context.Features, context.GetHttpContext());

    public static ConnectionRequest Of(HubConnectionContext connection) => Of(connection.Features, connection.GetHttpContext());

    private static string? BearerOf(string? authorization) =>
        authorization is not null && authorization.StartsWith(BearerPrefix, StringComparison.OrdinalIgnoreCase)
            ? NullIfEmpty(authorization[BearerPrefix.Length..].Trim())
            : null;

    private static string? NullIfEmpty(string? value) => string.IsNullOrEmpty(value) ? null : value;
}
