using System.Text;
using Chat.Server.Accounts;
using Chat.Tests.Infrastructure;
using Microsoft.IdentityModel.Tokens;

namespace Chat.Tests.Accounts;

/// <summary>
/// A server with a configured signing key, so tests can mint the tokens it would (expired ones too),
/// and address limits out of the way: every test here signs in from 127.0.0.1 (RateLimitTests checks them).
/// </summary>
public class AccountServerFixture : ChatServerFixture
{
    public const string SigningKey = "a-test-signing-key-of-more-than-32-characters";

    public static readonly SecurityKey Key = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(SigningKey));

    protected override IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string>
    {
        ["Chat:Auth:SigningKey"] = SigningKey,
        ["Chat:Auth:RateLimit:SignInsPerAddress"] = "100000",
        ["Chat:Auth:RateLimit:SignUpsPerAddress"] = "100000",
    };

    /// <summary>A token this server would have issued to <paramref name="username"/>, valid from <paramref name="issuedAt"/> to <paramref name="expires"/>.</summary>
    public static string Mint(string username, DateTimeOffset issuedAt, DateTimeOffset expires, SecurityKey? key = null) =>
        AccessTokens.Create(key ?? Key, username, issuedAt, expires);
}

/// <summary>The <see cref="AccountServerFixture"/> with hub WebSockets through ASP.NET Core's HTTP stack.</summary>
public sealed class HttpAccountServerFixture : AccountServerFixture
{
    public override WebSocketPath Path => WebSocketPath.Http;
}
