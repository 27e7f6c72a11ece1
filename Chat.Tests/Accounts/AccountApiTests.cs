using System.Net;
using System.Net.Http.Json;
using System.Text;
using Chat.Protocol;
using Chat.Tests.Infrastructure;

namespace Chat.Tests.Accounts;

public sealed class AccountApiTests(AccountServerFixture fixture) : IClassFixture<AccountServerFixture>, IDisposable
{
    private readonly AccountsHttp _http = new(fixture.Address);

    [Fact]
    public async Task Sign_up_answers_201_with_the_username_and_the_name_is_then_taken_in_any_case_or_look_alike_letters()
    {
        var name = Names.User("alice");
        using var created = await _http.SignUpAsync(name, AccountsHttp.Password());
        created.StatusCode.Should().Be(HttpStatusCode.Created);
        (await created.Content.ReadFromJsonAsync<AccountCreated>())!.Username.Should().Be(name);

        // "a" in Cyrillic (U+0430) looks like the Latin one and collides as nicknames do.
        foreach (var variant in new[] { name, name.ToUpperInvariant(), "\u0430" + name[1..] })
        {
            using var taken = await _http.SignUpAsync(variant, AccountsHttp.Password());
            taken.StatusCode.Should().Be(HttpStatusCode.Conflict);
            (await AccountsHttp.ErrorOf(taken)).Should().Be($"The username {variant} is already registered. Choose another one.");
        }
    }

    [Theory]
    [InlineData("two words", "long enough password", "Nicknames may use letters, digits, -, _ and . (1-32 characters, no spaces).")]
    [InlineData("", "long enough password", "Nicknames may use letters, digits, -, _ and . (1-32 characters, no spaces).")]
    [InlineData("{name}", "123456789", "A password needs at least 10 characters.")]
    [InlineData("{name}", "{long}", "A password may have at most 200 characters.")]
    public async Task Sign_up_breaking_a_rule_answers_400_with_the_rule(string username, string password, string sentence)
    {
        var name = username.Replace("{name}", Names.User("rules"), StringComparison.Ordinal);
        using var refused = await _http.SignUpAsync(name, password.Replace("{long}", new string('p', 201), StringComparison.Ordinal));

        refused.StatusCode.Should().Be(HttpStatusCode.BadRequest);
        (await AccountsHttp.ErrorOf(refused)).Should().Be(sentence);
        if (name.Length > 0 && !name.Contains(' ', StringComparison.Ordinal))
        {
            using var signIn = await _http.SignInAsync(name, password);
            signIn.StatusCode.Should().Be(HttpStatusCode.Unauthorized, "nothing was registered");
        }
    }

    [Theory]
    [InlineData("text/plain", "{\"username\":\"x\",\"password\":\"long enough password\"}")]
    [InlineData("application/json", "{\"username\":\"x\"}")]
    [InlineData("application/json", "not json")]
    [InlineData("application/json", "")]
    public async Task A_request_without_a_usable_json_body_answers_400_with_a_sentence(string contentType, string body)
    {
        foreach (var path in new[] { ChatEndpoints.AccountsPath, ChatEndpoints.SessionsPath })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = new StringContent(body, Encoding.UTF8, contentType) };
            using var response = await _http.SendAsync(request);

            response.StatusCode.Should().Be(HttpStatusCode.BadRequest);
            (await AccountsHttp.ErrorOf(response)).Should().Be("Send a JSON body with a username and a password.");
        }
    }

    [Fact]
    public async Task Sign_in_answers_a_token_for_the_right_pair_and_one_sentence_for_any_wrong_one()
    {
        var name = Names.User("bob");
        var password = AccountsHttp.Password();
        (await _http.SignUpAsync(name, password)).Dispose();

        using var session = await _http.SignInAsync(name.ToUpperInvariant(), password);
        session.StatusCode.Should().Be(HttpStatusCode.OK);
        var created = (await session.Content.ReadFromJsonAsync<SessionCreated>())!;
        created.AccessToken.Split('.').Should().HaveCount(3);
        created.ExpiresAt.Should().BeCloseTo(DateTimeOffset.UtcNow.AddDays(7), TimeSpan.FromMinutes(5));

        using var wrongPassword = await _http.SignInAsync(name, password + "x");
        using var unknownUser = await _http.SignInAsync(Names.User("nobody"), password);
        foreach (var refused in new[] { wrongPassword, unknownUser })
        {
            refused.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
            (await AccountsHttp.ErrorOf(refused)).Should().Be("That username and password do not match an account.");
        }
    }

    [Fact]
    public async Task Another_site_cannot_create_accounts_or_try_passwords_from_a_visitors_browser()
    {
        var name = Names.User("csrf");
        foreach (var path in new[] { ChatEndpoints.AccountsPath, ChatEndpoints.SessionsPath })
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, path) { Content = JsonContent.Create(new AccountRequest(name, AccountsHttp.Password())) };
            request.Headers.Add("Origin", "https://evil.example");
            using var response = await _http.SendAsync(request);
            response.StatusCode.Should().Be(HttpStatusCode.Forbidden);
        }

        using var free = await _http.SignUpAsync(name, AccountsHttp.Password());
        free.StatusCode.Should().Be(HttpStatusCode.Created, "the cross-site request created nothing");
    }

    public void Dispose() => _http.Dispose();
}
