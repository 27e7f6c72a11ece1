using System.Net.Http.Json;
using Chat.Client;
using Chat.Protocol;
using Chat.Tests.Infrastructure;

namespace Chat.Tests.Client;

/// <summary>
/// A <see cref="ChatClient"/> with credentials against real server processes: it signs in, is its
/// username, says the server's sentence when refused, and signs in again when its token has expired
/// by the time it reconnects.
/// </summary>
public sealed class ClientSignInTests(ChatServerFixture fixture) : IClassFixture<ChatServerFixture>
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task A_client_with_credentials_is_signed_in_under_its_username_whatever_nickname_it_asks_for()
    {
        var alice = Names.User("alice");
        await ChatAccounts.CreateAsync(fixture.Address, new ChatCredentials(alice, TestClient.DefaultPassword)).WaitAsync(Patience);
        await using var client = TestClient.Create(fixture.Address, nickname: Names.User("other"), credentials: new ChatCredentials(alice.ToUpperInvariant(), TestClient.DefaultPassword));
        await client.Client.ConnectAsync().WaitAsync(Patience);

        var profile = await client.Client.MeAsync();
        profile.SignedIn.Should().BeTrue();
        profile.Nickname.Should().Be(alice);
        client.Client.Inner.SignedIn.Should().BeTrue();
        client.Nickname.Should().Be(alice);
        client.Client.Inner.AccessTokenExpiresAt.Should().BeAfter(DateTimeOffset.UtcNow);

        // Others see the username too.
        var room = Names.Room();
        await using var watcher = await TestClient.ConnectAsync(fixture.Address, Names.User("watcher"));
        await watcher.Client.JoinAsync(room);
        await client.Client.JoinAsync(room);
        await watcher.Joins.WaitForAsync(presence => presence.Room == room && presence.Nickname == alice);
    }

    [Fact]
    public async Task A_wrong_password_fails_to_connect_with_the_servers_sentence()
    {
        var bob = Names.User("bob");
        await ChatAccounts.CreateAsync(fixture.Address, new ChatCredentials(bob, TestClient.DefaultPassword)).WaitAsync(Patience);
        var sentence = await RefusalSentenceAsync(fixture.Address, new AccountRequest(bob, "not the password"));

        await using var client = TestClient.Create(fixture.Address, credentials: new ChatCredentials(bob, "not the password"));
        var refusal = await client.Client.Invoking(c => c.ConnectAsync()).Should().ThrowAsync<ChatConnectionException>();

        refusal.Which.Failure.Should().Be(ConnectFailure.SignInRefused);
        refusal.Which.Message.Should().Be(sentence).And.NotContain("not the password");
        client.Client.Inner.SignedIn.Should().BeFalse();
    }

    [Fact]
    public async Task A_taken_username_is_refused_at_sign_up_with_the_servers_sentence()
    {
        var carol = Names.User("carol");
        await ChatAccounts.CreateAsync(fixture.Address, new ChatCredentials(carol, TestClient.DefaultPassword)).WaitAsync(Patience);

        var taken = await FluentActions.Invoking(() => ChatAccounts.CreateAsync(fixture.Address, new ChatCredentials(carol.ToUpperInvariant(), "another password")).WaitAsync(Patience))
            .Should().ThrowAsync<ChatException>();

        taken.Which.Message.Should().Contain(carol.ToUpperInvariant()).And.EndWith(".");
    }

    [Fact]
    public void Credentials_never_print_the_password() =>
        new ChatCredentials("alice", "hunter2hunter2").ToString().Should().Be("ChatCredentials { Username = alice }");

    /// <summary>What the server says to a wrong pair, asked directly.</summary>
    private static async Task<string> RefusalSentenceAsync(Uri server, AccountRequest request)
    {
        using var http = new HttpClient { Timeout = Patience };
        using var response = await http.PostAsJsonAsync(new Uri(server, ChatEndpoints.SessionsPath), request);
        response.StatusCode.Should().Be(System.Net.HttpStatusCode.Unauthorized);
        return (await response.Content.ReadFromJsonAsync<ApiError>())!.Error;
    }
}

/// <summary>Token expiry across a reconnect needs a server of its own with short-lived tokens, restarted by the test.</summary>
public sealed class ClientTokenRenewalTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Theory]
    [InlineData(WebSocketPath.Direct)]
    [InlineData(WebSocketPath.Http)]
    public async Task A_client_whose_token_expired_signs_in_again_when_it_reconnects(WebSocketPath path)
    {
        await using var server = await ChatServerProcess.StartAsync(
            settings: new Dictionary<string, string> { ["Chat:Auth:TokenLifetime"] = "00:00:03" },
            path: path);
        var dave = Names.User("dave");
        var room = Names.Room();
        await using var client = await TestClient.SignUpAsync(server.Address, dave);
        await client.Client.JoinAsync(room);
        var firstExpiry = client.Client.Inner.AccessTokenExpiresAt!.Value;

        // Waiting for a clock: poll until the token has expired, never longer than its lifetime and some.
        using (var expiry = new CancellationTokenSource(Patience))
        {
            while (DateTimeOffset.UtcNow <= firstExpiry)
            {
                await Task.Delay(TimeSpan.FromMilliseconds(100), expiry.Token);
            }
        }

        await server.StopAsync();
        await client.Reconnects.WaitForCountAsync(1);
        await server.StartAsync();
        var report = (await client.Recoveries.WaitForCountAsync(1, TimeSpan.FromSeconds(30)))[0];

        report.Rooms.Should().Equal(room);
        var profile = await client.Client.MeAsync();
        profile.SignedIn.Should().BeTrue(server.Output);
        profile.Nickname.Should().Be(dave);
        client.Client.Inner.AccessTokenExpiresAt.Should().BeAfter(firstExpiry, "the client signed in again");
    }
}
