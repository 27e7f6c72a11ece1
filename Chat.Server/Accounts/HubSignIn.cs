using System.Security.Claims;
using Chat.Server.Accounts.Internal;
using Chat.Server.Transport;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Connections.Features;
using Microsoft.AspNetCore.Http.Connections;

namespace Chat.Server.Accounts;

/// <summary>
/// The one place a hub connection's access token is checked, a connection middleware in the hub's
/// pipeline, which every connection passes however it came: the HTTP path (<c>MapConnections</c>), the
/// direct WebSocket path (no <c>HttpContext</c>) and the doors (in-process). It validates the token of
/// the <see cref="ConnectionRequest"/> with <see cref="AccessTokens"/>, records the outcome as a
/// <see cref="ConnectionSignIn"/> feature, and makes a signed-in principal the connection's
/// <see cref="IConnectionUserFeature.User"/>, which is what the hub's <c>Context.User</c> and the user id
/// provider read. The hub refuses a failed token with its sentence when the connection opens.
/// </summary>
/// <remarks>
/// On the HTTP path SignalR sets the connection's user from <c>HttpContext.User</c> on each request (each
/// long poll); the JwtBearer scheme authenticates those requests from the same token, so that user stays
/// the one set here.
/// </remarks>
public sealed class HubSignIn(AccessTokens tokens, ILogger<HubSignIn> logger)
{
    public ConnectionDelegate Authenticate(ConnectionDelegate next) => async connection =>
    {
        var request = ConnectionRequest.Of(connection.Features, connection.GetHttpContext());
        var signIn = request.AccessToken is { } token ? await tokens.ValidateAsync(token) : ConnectionSignIn.Guest;
        connection.Features.Set(signIn);
        if (signIn.User is { } user)
        {
            UserFeatureOf(connection).User = user;
            logger.SignedInConnection(connection.ConnectionId, signIn.Username!);
        }
        else if (signIn.Refusal is { } refusal)
        {
            // No one's user: a connection whose token failed must not keep an HTTP request's principal either.
            UserFeatureOf(connection).User = new ClaimsPrincipal(new ClaimsIdentity());
            logger.TokenRefused(connection.ConnectionId, refusal);
        }

        await next(connection);
    };

    private static IConnectionUserFeature UserFeatureOf(ConnectionContext connection)
    {
        if (connection.Features.Get<IConnectionUserFeature>() is { } feature)
        {
            return feature;
        }

        var own = new ConnectionUserFeature();
        connection.Features.Set<IConnectionUserFeature>(own);
        return own;
    }
}
