using Chat.Tests.Infrastructure;

namespace Chat.Tests.Hardening;

public abstract class LoggingTests(ChatServerFixture fixture)
{
    [Fact]
    public async Task The_log_names_events_but_never_shows_a_client_key_or_a_message_body()
    {
        var room = Names.Room();
        var key = "secret" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
        var body = "a private thought " + Guid.NewGuid().ToString("N");
        await using (var alice = await TestClient.ConnectAsync(fixture.Address, Names.User("alice"), key))
        {
            await using var bob = await TestClient.ConnectAsync(fixture.Address, Names.User("bob"));
            await alice.Client.JoinAsync(room);
            await bob.Client.JoinAsync(room);
            await alice.Client.SendAsync(room, body);
            await alice.Client.SendDirectAsync(bob.Nickname, body + " direct");
        }

        await fixture.Server.WaitForOutputAsync($"[DISCONNECT]");
        var log = fixture.Server.Output;
        log.Should().Contain("[CONNECT]").And.Contain($"joined {room}");
        log.Should().NotContain(key);
        log.Should().NotContain(body);
    }

    /// <summary>On the server's own WebSocket framing (the default).</summary>
    public sealed class OnDirectPath(ChatServerFixture fixture) : LoggingTests(fixture), IClassFixture<ChatServerFixture>;

    /// <summary>Through ASP.NET Core's HTTP stack.</summary>
    public sealed class OnHttpPath(HttpWebSocketServerFixture fixture) : LoggingTests(fixture), IClassFixture<HttpWebSocketServerFixture>;
}
