using System.Text;
using Chat.Client;
using Chat.Protocol;
using Chat.Tests.Infrastructure;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.IdentityModel.Tokens;

namespace Chat.Tests.Accounts;

/// <summary>Access tokens on the hub, the same on the server's own WebSocket path and through ASP.NET Core's HTTP stack.</summary>
public abstract class HubSignInTests(AccountServerFixture fixture) : IDisposable
{
    private readonly AccountsHttp _http = new(fixture.Address);

    [Theory]
    [InlineData(TokenWay.Header)]
    [InlineData(TokenWay.Query)]
    public async Task A_token_signs_the_connection_in_as_its_username_whatever_name_it_asks_for(TokenWay way)
    {
        var name = Names.User("alice");
        var token = await _http.RegisterAsync(name);

        await using var hub = await TokenHub.ConnectAsync(fixture.Address, token, way, nickname: Names.User("someoneelse"));

        var me = await hub.MeAsync();
        me.Nickname.Should().Be(name);
        me.SignedIn.Should().BeTrue();
        me.Administrator.Should().BeFalse();
    }

    [Theory]
    [InlineData(HttpTransportType.WebSockets, TokenWay.Query)]
    [InlineData(HttpTransportType.LongPolling, TokenWay.Header)]
    [InlineData(HttpTransportType.ServerSentEvents, TokenWay.Header)]
    public async Task Over_negotiate_the_token_signs_in_on_every_transport_and_stays_signed_in(HttpTransportType transport, TokenWay way)
    {
        var name = Names.User("polly");
        var room = Names.Room();
        var token = await _http.RegisterAsync(name);

        await using var hub = await TokenHub.ConnectAsync(fixture.Address, token, way, negotiate: transport);
        await hub.CallAsync<RoomSnapshot>(nameof(IChatHub.Join), room);
        var sent = await hub.CallAsync<ChatMessage>(nameof(IChatHub.SendMessage), room, "hello", null);

        // Long polling sets the connection's user afresh with each poll: it must still be the account.
        var me = await hub.MeAsync();
        me.Nickname.Should().Be(name);
        me.SignedIn.Should().BeTrue();
        sent.Sender.Should().Be(name);
    }

    public static TheoryData<string, TokenWay> BadTokens()
    {
        var data = new TheoryData<string, TokenWay>();
        foreach (var way in new[] { TokenWay.Header, TokenWay.Query })
        {
            data.Add("expired", way);
            data.Add("other server", way);
            data.Add("forged", way);
            data.Add("garbage", way);
            data.Add("not yet valid", way);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(BadTokens))]
    public async Task A_token_that_does_not_pass_is_refused_at_the_handshake_with_a_sentence_never_taken_as_a_guest(string kind, TokenWay way)
    {
        var name = Names.User("mallory");
        var real = await _http.RegisterAsync(name);
        var now = DateTimeOffset.UtcNow;
        var (token, sentence) = kind switch
        {
            "expired" => (AccountServerFixture.Mint(name, now.AddDays(-8), now.AddHours(-1)), "Your sign-in has expired. Sign in again."),
            "other server" => (AccountServerFixture.Mint(name, now, now.AddDays(1), new SymmetricSecurityKey(Encoding.UTF8.GetBytes("another server's key, also 32 characters or more"))), Invalid),
            "forged" => (Forge(real, Names.User("victim")), Invalid),
            "not yet valid" => (AccountServerFixture.Mint(name, now.AddHours(1), now.AddDays(1)), Invalid),
            _ => ("abc.def.ghi", Invalid),
        };

        var connect = () => TokenHub.ConnectAsync(fixture.Address, token, way, nickname: Names.User("guestname"));

        (await connect.Should().ThrowAsync<ChatException>()).Which.Message.Should().Be(sentence);
    }

    [Fact]
    public async Task A_signed_in_user_cannot_rename_and_everything_they_send_carries_their_username()
    {
        var name = Names.User("ann");
        var room = Names.Room();
        var token = await _http.RegisterAsync(name);
        await using var ann = await TokenHub.ConnectAsync(fixture.Address, token);
        await using var bob = await TestClient.ConnectAsync(fixture.Address, Names.User("bob"));
        await bob.Client.JoinAsync(room);
        await ann.CallAsync<RoomSnapshot>(nameof(IChatHub.Join), room);

        var rename = () => ann.CallAsync<string>(nameof(IChatHub.SetNickname), Names.User("other"));
        (await rename.Should().ThrowAsync<Microsoft.AspNetCore.SignalR.HubException>()).Which.Message.Should().EndWith("Signed-in users are known by their username; /nick is for guests.");

        await ann.CallAsync<ChatMessage>(nameof(IChatHub.SendMessage), room, "it is me", null);
        await ann.CallAsync<DirectMessage>(nameof(IChatHub.SendDirect), bob.Nickname, "psst", null);
        (await bob.Messages.WaitForAsync(message => message.Text == "it is me")).Sender.Should().Be(name);
        (await bob.Directs.WaitForAsync(message => message.Text == "psst")).From.Should().Be(name);
        (await ann.MeAsync()).Nickname.Should().Be(name);
    }

    [Fact]
    public async Task A_guest_cannot_take_a_registered_name_when_connecting_or_with_nick_in_any_case()
    {
        var name = Names.User("reg");
        await _http.RegisterAsync(name);
        var sentence = (string variant) => $"The nickname {variant} belongs to a registered user. Sign in as {variant}, or choose another nickname.";

        foreach (var variant in new[] { name, name.ToUpperInvariant() })
        {
            await using var impostor = TestClient.Create(fixture.Address, variant);
            var connect = () => impostor.Client.ConnectAsync();
            (await connect.Should().ThrowAsync<ChatConnectionException>()).Which.Message.Should().Be(sentence(variant));
        }

        await using var guest = await TestClient.ConnectAsync(fixture.Address, Names.User("guest"));
        var rename = () => guest.Client.SetNicknameAsync(name);
        (await rename.Should().ThrowAsync<ChatException>()).Which.Message.Should().Be(sentence(name));
        (await guest.Client.MeAsync()).SignedIn.Should().BeFalse();
    }

    [Fact]
    public async Task A_guest_holding_a_name_when_it_is_registered_keeps_it_until_they_leave()
    {
        var name = Names.User("early");
        var room = Names.Room();
        var guest = await TestClient.ConnectAsync(fixture.Address, name);
        await using var watcher = await TestClient.ConnectAsync(fixture.Address, Names.User("watcher"));
        await watcher.Client.JoinAsync(room);
        await guest.Client.JoinAsync(room);

        var token = await _http.RegisterAsync(name);

        (await guest.Client.MeAsync()).Nickname.Should().Be(name);
        var early = () => TokenHub.ConnectAsync(fixture.Address, token);
        (await early.Should().ThrowAsync<ChatException>()).Which.Message.Should()
            .Be($"The nickname {name} is still held by a guest who took it before it was registered. Try again once they have left.");

        // The room hears that the guest left once the server has let the name go.
        await guest.DisposeAsync();
        await watcher.Leaves.WaitForAsync(left => left.Nickname == name && left.Room == room);
        await using var owner = await TokenHub.ConnectAsync(fixture.Address, token);
        (await owner.MeAsync()).Nickname.Should().Be(name);
    }

    [Fact]
    public async Task Two_devices_of_one_account_share_its_nickname_and_a_direct_message_reaches_both()
    {
        var name = Names.User("twice");
        var token = await _http.RegisterAsync(name);
        await using var phone = await TokenHub.ConnectAsync(fixture.Address, token, TokenWay.Query);
        await using var laptop = await TokenHub.ConnectAsync(fixture.Address, token, TokenWay.Header);
        var onPhone = Received(phone);
        var onLaptop = Received(laptop);
        await using var friend = await TestClient.ConnectAsync(fixture.Address, Names.User("friend"));

        await friend.Client.SendDirectAsync(name, "to all your devices");

        (await onPhone.WaitAsync(RawHub.CallTimeout)).Text.Should().Be("to all your devices");
        (await onLaptop.WaitAsync(RawHub.CallTimeout)).Text.Should().Be("to all your devices");
        (await laptop.MeAsync()).Nickname.Should().Be(name);
    }

    [Fact]
    public async Task The_ws_door_signs_in_with_an_access_token_in_its_query()
    {
        var name = Names.User("door");
        var token = await _http.RegisterAsync(name);
        using var socket = new System.Net.WebSockets.ClientWebSocket();
        using var timeout = new CancellationTokenSource(RawHub.CallTimeout);
        await socket.ConnectAsync(new Uri($"ws://127.0.0.1:{fixture.Server.Port}/ws?name={Names.User("other")}&access_token={Uri.EscapeDataString(token)}"), timeout.Token);

        var buffer = new byte[8192];
        var received = await socket.ReceiveAsync(buffer, timeout.Token);
        Encoding.UTF8.GetString(buffer, 0, received.Count).Should().Contain($"Welcome, {name}!");
        await socket.CloseAsync(System.Net.WebSockets.WebSocketCloseStatus.NormalClosure, null, timeout.Token);
    }

    public void Dispose() => _http.Dispose();

    private const string Invalid = "This access token is not valid on this server. Sign in again.";

    /// <summary>The real token with another name in its payload and the real signature: what someone who read a token could try.</summary>
    private static string Forge(string token, string username)
    {
        var parts = token.Split('.');
        var payload = Encoding.UTF8.GetString(Base64UrlEncoder.DecodeBytes(parts[1]));
        var original = System.Text.Json.JsonDocument.Parse(payload).RootElement.GetProperty("name").GetString()!;
        parts[1] = Base64UrlEncoder.Encode(payload.Replace(original, username, StringComparison.Ordinal));
        return string.Join('.', parts);
    }

    private static Task<DirectMessage> Received(HubConnection hub)
    {
        var received = new TaskCompletionSource<DirectMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        hub.On<DirectMessage>(nameof(IChatClient.ReceiveDirect), message => received.TrySetResult(message));
        return received.Task;
    }

    public sealed class OnDirectPath(AccountServerFixture fixture) : HubSignInTests(fixture), IClassFixture<AccountServerFixture>;

    public sealed class OnHttpPath(HttpAccountServerFixture fixture) : HubSignInTests(fixture), IClassFixture<HttpAccountServerFixture>;
}
