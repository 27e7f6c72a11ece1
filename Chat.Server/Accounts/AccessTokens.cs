using System.Security.Claims;
using Chat.Protocol;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Chat.Server.Accounts;

/// <summary>
/// Mints access tokens (JWTs signed with <see cref="SigningKeys"/>: <c>sub</c> and <c>name</c> are the
/// username, <c>exp</c> is now plus <see cref="AuthOptions.TokenLifetime"/>) and checks them with the
/// JwtBearer scheme's own token handlers and validation parameters, so a token means the same on the
/// HTTP API and on every hub path.
/// </summary>
public sealed class AccessTokens(SigningKeys keys, IOptionsMonitor<AuthOptions> auth, IOptionsMonitor<JwtBearerOptions> bearer, TimeProvider time)
{
    /// <summary>The <c>iss</c> and <c>aud</c> of our tokens; a token made for something else is refused.</summary>
    public const string Issuer = "signalrchat";

    public const string Audience = "signalrchat";

    public const string NameClaim = JwtRegisteredClaimNames.Name;

    public const string ExpiredSentence = "Your sign-in has expired. Sign in again.";

    public const string InvalidSentence = "This access token is not valid on this server. Sign in again.";

    /// <summary>How far clocks may disagree about a token's expiry.</summary>
    public static readonly TimeSpan ClockSkew = TimeSpan.FromSeconds(30);

    private static readonly JsonWebTokenHandler Minter = new() { SetDefaultTimesOnTokenCreation = false };

    public SessionCreated Issue(string username)
    {
        var now = time.GetUtcNow();
        var expires = now + auth.CurrentValue.TokenLifetime;
        return new SessionCreated(Create(keys.Current, username, now, expires), expires);
    }

    /// <summary>A token for <paramref name="username"/> signed with <paramref name="key"/>, valid from <paramref name="issuedAt"/> to <paramref name="expires"/>.</summary>
    public static string Create(SecurityKey key, string username, DateTimeOffset issuedAt, DateTimeOffset expires) =>
        Minter.CreateToken(new SecurityTokenDescriptor
        {
            Issuer = Issuer,
            Audience = Audience,
            Subject = new ClaimsIdentity([new Claim(JwtRegisteredClaimNames.Sub, username), new Claim(NameClaim, username)]),
            IssuedAt = issuedAt.UtcDateTime,
            NotBefore = issuedAt.UtcDateTime,
            Expires = expires.UtcDateTime,
            SigningCredentials = new SigningCredentials(key, SecurityAlgorithms.HmacSha256),
        });

    /// <summary>The validation parameters of our tokens, which the JwtBearer scheme is configured with.</summary>
    public static TokenValidationParameters Parameters(SigningKeys keys) => new()
    {
        ValidIssuer = Issuer,
        ValidAudience = Audience,
        ValidAlgorithms = [SecurityAlgorithms.HmacSha256],

        // Resolved per token: the key is loaded on start, after the options may have been built.
        IssuerSigningKeyResolver = (_, _, _, _) => [keys.Current],
        RequireSignedTokens = true,
        RequireExpirationTime = true,
        ValidateLifetime = true,
        ClockSkew = ClockSkew,
        NameClaimType = NameClaim,
    };

    /// <summary>Checks a token as the JwtBearer scheme would: the principal, or the sentence that refuses it.</summary>
    public async Task<ConnectionSignIn> ValidateAsync(string token)
    {
        var options = bearer.Get(JwtBearerDefaults.AuthenticationScheme);
        Exception? failure = null;
        foreach (var handler in options.TokenHandlers)
        {
            var result = await handler.ValidateTokenAsync(token, options.TokenValidationParameters);
            if (result.IsValid && ChatUser.AccountOf(new ClaimsPrincipal(result.ClaimsIdentity)) is { } username)
            {
                return ConnectionSignIn.SignedIn(new ClaimsPrincipal(result.ClaimsIdentity), username);
            }

            failure ??= result.Exception;
        }

        return ConnectionSignIn.Refused(failure is SecurityTokenExpiredException ? ExpiredSentence : InvalidSentence);
    }
}
