using System.Net;
using Chat.Server.Transport;

namespace Chat.Server.Doors.Internal;

/// <summary>
/// Who a door's WebSocket asked to be: the nickname (<c>?username=</c> or <c>?name=</c>), the client key
/// (<c>?key=</c> or a bearer value), the access token (<c>?access_token=</c> or a bearer JWT) and the address.
/// </summary>
internal sealed record DoorUser(string? Nickname, string? Key, string? AccessToken, IPEndPoint? Remote)
{
    public static DoorUser Of(HttpContext context)
    {
        var request = ConnectionRequest.Of(context.Features, context);
        var nickname = context.Request.Query["username"].ToString() is { Length: > 0 } username ? username : request.Name;
        var remote = context.Connection.RemoteIpAddress is { } address ? new IPEndPoint(address, context.Connection.RemotePort) : null;
        return new DoorUser(nickname, request.Key, request.AccessToken, remote);
    }
}
