using System.Net;
using Chat.Tests.Infrastructure;

namespace Chat.Tests.Accounts;

/// <summary>
/// Brute force against sign-in and sign-up, from several loopback addresses (Linux answers all of
/// 127/8): each test uses addresses of its own, so the per-address counts start at zero, and a window
/// far longer than the test, so no count is reset halfway.
/// </summary>
public sealed class RateLimitTests(RateLimitTests.Server fixture) : IClassFixture<RateLimitTests.Server>
{
    [Fact]
    public async Task The_sixth_wrong_password_for_one_username_waits_even_from_another_address_and_even_when_right()
    {
        var name = Names.User("target");
        var password = AccountsHttp.Password();
        using var first = new AccountsHttp(fixture.Address, IPAddress.Parse("127.0.0.11"));
        using var second = new AccountsHttp(fixture.Address, IPAddress.Parse("127.0.0.12"));
        (await first.SignUpAsync(name, password)).Dispose();

        for (var attempt = 1; attempt <= 5; attempt++)
        {
            using var wrong = await first.SignInAsync(name, $"wrong password {attempt}");
            wrong.StatusCode.Should().Be(HttpStatusCode.Unauthorized, $"attempt {attempt} is within the limit");
        }

        foreach (var (client, tried) in new[] { (second, "wrong password 6"), (second, password), (first, password) })
        {
            using var paused = await client.SignInAsync(name, tried);
            paused.StatusCode.Should().Be(HttpStatusCode.TooManyRequests);
            paused.Headers.RetryAfter!.Delta!.Value.Should().BePositive().And.BeLessThanOrEqualTo(Window);
            (await AccountsHttp.ErrorOf(paused)).Should().MatchRegex(@"^Too many attempts\. Try again in \d+ seconds\.$");
        }

        using var other = new AccountsHttp(fixture.Address, IPAddress.Parse("127.0.0.13"));
        var otherName = Names.User("bystander");
        (await other.TokenAsync(otherName, await RegisterAsync(other, otherName))).Should().NotBeEmpty("other usernames are not held up");
    }

    [Fact]
    public async Task One_address_trying_many_usernames_is_held_up_and_other_addresses_are_not()
    {
        using var attacker = new AccountsHttp(fixture.Address, IPAddress.Parse("127.0.0.21"));
        for (var attempt = 1; attempt <= SignInsPerAddress; attempt++)
        {
            using var wrong = await attacker.SignInAsync(Names.User("guess"), "not the password");
            wrong.StatusCode.Should().Be(HttpStatusCode.Unauthorized, $"attempt {attempt} is within the limit");
        }

        using var refused = await attacker.SignInAsync(Names.User("guess"), "not the password");
        refused.StatusCode.Should().Be(HttpStatusCode.TooManyRequests);
        refused.Headers.RetryAfter!.Delta!.Value.Should().BePositive().And.BeLessThanOrEqualTo(Window);
        (await AccountsHttp.ErrorOf(refused)).Should().StartWith("Too many attempts.");

        using var someoneElse = new AccountsHttp(fixture.Address, IPAddress.Parse("127.0.0.22"));
        using var fine = await someoneElse.SignInAsync(Names.User("guess"), "not the password");
        fine.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
    }

    [Fact]
    public async Task Sign_up_is_limited_per_address()
    {
        using var farm = new AccountsHttp(fixture.Address, IPAddress.Parse("127.0.0.31"));
        for (var attempt = 1; attempt <= SignUpsPerAddress; attempt++)
        {
            using var created = await farm.SignUpAsync(Names.User("bot"), AccountsHttp.Password());
            created.StatusCode.Should().Be(HttpStatusCode.Created);
        }

        using var refused = await farm.SignUpAsync(Names.User("bot"), AccountsHttp.Password());
        refused.StatusCode.Should().Be(HttpStatusCode.TooManyRequests);
        refused.Headers.RetryAfter.Should().NotBeNull();
    }

    [Fact]
    public async Task One_username_tried_at_sign_up_from_many_addresses_is_held_up_and_other_names_are_not()
    {
        var name = Names.User("wanted");
        for (var attempt = 1; attempt <= SignUpsPerUsername; attempt++)
        {
            // A new address each time: only the username's own count can stop this.
            using var from = new AccountsHttp(fixture.Address, IPAddress.Parse($"127.0.1.{attempt}"));
            using var tried = await from.SignUpAsync(name.ToUpperInvariant(), AccountsHttp.Password());
            tried.StatusCode.Should().Be(attempt == 1 ? HttpStatusCode.Created : HttpStatusCode.Conflict, $"attempt {attempt} is within the limit");
        }

        using var last = new AccountsHttp(fixture.Address, IPAddress.Parse("127.0.1.100"));
        using var refused = await last.SignUpAsync(name, AccountsHttp.Password());
        refused.StatusCode.Should().Be(HttpStatusCode.TooManyRequests);
        refused.Headers.RetryAfter!.Delta!.Value.Should().BePositive().And.BeLessThanOrEqualTo(Window);
        (await AccountsHttp.ErrorOf(refused)).Should().StartWith("Too many attempts.");

        using var fine = await last.SignUpAsync(Names.User("other"), AccountsHttp.Password());
        fine.StatusCode.Should().Be(HttpStatusCode.Created, "other usernames are not held up");
    }

    private const int SignInsPerAddress = 8;

    private const int SignUpsPerAddress = 3;

    private const int SignUpsPerUsername = 4;

    private static readonly TimeSpan Window = TimeSpan.FromMinutes(30);

    private static async Task<string> RegisterAsync(AccountsHttp http, string name)
    {
        var password = AccountsHttp.Password();
        using var created = await http.SignUpAsync(name, password);
        created.StatusCode.Should().Be(HttpStatusCode.Created);
        return password;
    }

    public sealed class Server : ChatServerFixture
    {
        protected override IReadOnlyDictionary<string, string> Settings { get; } = new Dictionary<string, string>
        {
            ["Chat:Auth:RateLimit:Window"] = "00:30:00",
            ["Chat:Auth:RateLimit:SignInsPerAddress"] = SignInsPerAddress.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Chat:Auth:RateLimit:SignUpsPerAddress"] = SignUpsPerAddress.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Chat:Auth:RateLimit:FailedSignInsPerUsername"] = "5",
            ["Chat:Auth:RateLimit:SignUpsPerUsername"] = SignUpsPerUsername.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
    }
}
