using System.Security.Claims;

namespace Chat.Server.Accounts;

/// <summary>
/// What <see cref="HubSignIn"/> made of a hub connection's access token, kept as a connection feature:
/// signed in (the principal and its username), a guest (no token), or refused with a sentence (a token
/// that did not pass, which is never taken as a guest).
/// </summary>
public sealed record ConnectionSignIn(ClaimsPrincipal? User, string? Username, string? Refusal)
{
    public static readonly ConnectionSignIn Guest = new(null, null, null);

    public static ConnectionSignIn SignedIn(ClaimsPrincipal user, string username) => new(user, username, null);

    public static ConnectionSignIn Refused(string sentence) => new(null, null, sentence);
}
