using Chat.Protocol;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.SignalR;

namespace Chat.Server.Transport;

/// <summary>
/// What a hub connection asked for in its URL (<c>?name=</c>, <c>?key=</c>). Connections that came
/// through <see cref="DirectWebSockets"/> have no <c>HttpContext</c>; they carry this feature instead,
/// and the others are read from their request.
/// </summary>
public sealed record ConnectionRequest(string? Name, string? Key)
{
    public static ConnectionRequest Of(IFeatureCollection features, HttpContext? httpContext)
    {
        if (features.Get<ConnectionRequest>() is { } request)
        {
            return request;
        }

        var query = httpContext?.Request.Query;
        return new ConnectionRequest(query?[ChatEndpoints.NameParameter].ToString(), query?[ChatEndpoints.KeyParameter].ToString());
    }

    public static ConnectionRequest Of(HubCallerContext context) => Of(context.Features, context.GetHttpContext());

    public static ConnectionRequest Of(HubConnectionContext connection) => Of(connection.Features, connection.GetHttpContext());
}
