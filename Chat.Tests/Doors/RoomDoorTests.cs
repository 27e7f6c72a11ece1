using System.Net;
using System.Net.WebSockets;
using System.Text.Json;
using Chat.Tests.Infrastructure;

namespace Chat.Tests.Doors;

/// <summary>
/// The room doors (<c>/ws/chat/{room}</c>, <c>/ws/lobby</c>, <c>/chat/{room}</c>) driven by Python's
/// websockets library as the seeds' clients would drive them, in the same rooms as SignalR clients.
/// </summary>
public sealed class RoomDoorTests(ChatServerFixture server) : IClassFixture<ChatServerFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task Json_room_door_and_signalr_client_see_each_others_messages_in_order_with_history_on_join()
    {
        var room = Names.Room("doors");
        var dora = Names.User("dora");
        var renamed = Names.User("dorothy");
        await using var alice = await TestClient.ConnectAsync(server.Address, Names.User("alice"));
        await alice.Client.JoinAsync(room);
        await alice.Client.SendAsync(room, "before 1");
        await alice.Client.SendAsync(room, "before 2");

        var python = RoomDoorsClient.RunAsync("json-chat", server.Address, room, dora, renamed);
        await alice.Joins.WaitForAsync(p => p.Room == room && p.Nickname == dora);
        await alice.Client.SendAsync(room, "from signalr");
        await alice.Typing.WaitForAsync(p => p.Room == room && p.Nickname == dora);
        var second = await alice.Messages.WaitForAsync(m => m.Text == "from python 2");
        await alice.Renames.WaitForAsync(r => r.OldNickname == dora && r.NewNickname == renamed);
        (await alice.Client.WhoAsync(room)).Users.Should().Contain(renamed);
        await alice.Client.SendAsync(room, "bye");
        var report = await python.WaitAsync(Timeout);

        var welcome = report.GetProperty("welcome");
        welcome.GetProperty("username").GetString().Should().Be(dora);
        var clientId = welcome.GetProperty("client_id").GetString();
        clientId.Should().NotBeNullOrEmpty();
        var messages = RoomDoorsClient.MessagesShouldBe(report, "before 1", "before 2", "from signalr", "from python 1", "from python 2", "bye");
        messages.Select(m => m.TryGetProperty("history", out _)).Should().Equal(true, true, false, false, false, false);
        messages.Select(m => m.TryGetProperty("client_id", out var id) ? id.GetString() : null).Should().Equal(null, null, null, clientId, clientId, null);
        messages.Should().AllSatisfy(m => DateTimeOffset.Parse(m.GetProperty("timestamp").GetString()!, System.Globalization.CultureInfo.InvariantCulture).Offset.Should().Be(TimeSpan.Zero));
        alice.Messages.Items.Where(m => m.Room == room).Select(m => m.Text).Should().ContainInOrder("from signalr", "from python 1", "from python 2");
        second.Sender.Should().Be(dora);
    }

    [Fact]
    public async Task Text_room_door_and_signalr_client_see_each_others_messages_in_order_with_history_on_join()
    {
        var room = Names.Room("doors");
        var tex = Names.User("tex");
        await using var alice = await TestClient.ConnectAsync(server.Address, Names.User("alice"));
        await alice.Client.JoinAsync(room);
        await alice.Client.SendAsync(room, "before 1");

        var python = RoomDoorsClient.RunAsync("text-chat", server.Address, room, tex);
        await alice.Joins.WaitForAsync(p => p.Room == room && p.Nickname == tex);
        await alice.Client.SendAsync(room, "from signalr");
        var first = await alice.Messages.WaitForAsync(m => m.Text == "from python 1");
        var second = await alice.Messages.WaitForAsync(m => m.Text == "from python 2");
        var report = await python.WaitAsync(Timeout);

        report.GetProperty("seen").EnumerateArray().Select(line => line.GetString()).Should().Equal(
            $"*** Welcome to room {room}, {tex}!",
            $"{alice.Nickname} :: before 1",
            $"{alice.Nickname} :: from signalr",
            $"{tex} :: from python 1",
            $"{tex} :: from python 2");
        (first.Sender, second.Seq).Should().Be((tex, first.Seq + 1));
    }

    [Fact]
    public async Task Lobby_door_shows_the_room_with_door_and_signalr_users_and_not_itself()
    {
        var room = Names.Room("lobby");
        var dora = Names.User("dora");
        await using var alice = await TestClient.ConnectAsync(server.Address, Names.User("alice"));
        await alice.Client.JoinAsync(room);

        var report = await RoomDoorsClient.RunAsync("lobby", server.Address, room, dora, $"2,{RoomDoorsClient.WebSocketBase(server.Address)}").WaitAsync(Timeout);

        var entry = report.GetProperty("update").GetProperty("rooms").GetProperty(room);
        entry.GetProperty("users").GetInt32().Should().Be(2);
        entry.GetProperty("usernames").EnumerateArray().Select(u => u.GetString()).Should().BeEquivalentTo(alice.Nickname, dora);
    }

    [Theory]
    [InlineData("binary", "json", "Binary messages are not understood here; send text.")]
    [InlineData("invalid-json", "json", "That is not JSON.")]
    [InlineData("unknown-type", "json", "Unknown type \"dance\".")]
    [InlineData("empty", "json", "A message needs some text.")]
    [InlineData("binary", "text", "Binary messages are not understood here; send text.")]
    [InlineData("empty", "text", "A message needs some text.")]
    public async Task Bad_input_gets_an_error_and_the_connection_carries_on(string input, string dialect, string sentence)
    {
        var report = await RoomDoorsClient.RunAsync("bad", server.Address, Names.Room("bad"), Names.User("bad"), $"{input}:{dialect}").WaitAsync(Timeout);

        var answer = report.GetProperty("answer");
        if (dialect == "json")
        {
            answer.GetProperty("type").GetString().Should().Be("error");
            answer.GetProperty("message").GetString().Should().StartWith(sentence);
            report.GetProperty("echo").GetProperty("message").GetString().Should().Be("still here");
        }
        else
        {
            answer.GetString().Should().Be($"*** Error: {sentence}");
            report.GetProperty("echo").GetString().Should().EndWith(" :: still here");
        }

        report.GetProperty("open").GetBoolean().Should().BeTrue();
    }

    [Theory]
    [InlineData("huge", "/ws/chat/{0}", 1009)]
    [InlineData("huge", "/chat/{0}", 1009)]
    [InlineData("huge", "/ws/lobby", 1009)]
    [InlineData("bad-utf8", "/ws/chat/{0}", 1007)]
    [InlineData("bad-utf8", "/chat/{0}", 1007)]
    [InlineData("flood", "/ws/chat/{0}", 1008)]
    [InlineData("flood", "/chat/{0}", 1008)]
    [InlineData("flood", "/ws/lobby", 1008)]
    public async Task Input_that_breaks_the_doors_rules_closes_that_connection_and_the_room_carries_on(string input, string path, int code)
    {
        var room = Names.Room("rules");
        await using var alice = await TestClient.ConnectAsync(server.Address, Names.User("alice"));
        await alice.Client.JoinAsync(room);

        var report = await RoomDoorsClient.RunAsync("closing", server.Address, room, Names.User("rude"), $"{input}:{string.Format(System.Globalization.CultureInfo.InvariantCulture, path, room)}").WaitAsync(Timeout);

        if (input == "bad-utf8")
        {
            // ASP.NET Core's WebSocket answers text that is not UTF-8 with its own 1007 close and resets the
            // connection right after it; a client that reads late sees the reset first (1006).
            report.GetProperty("code").GetInt32().Should().BeOneOf(code, 1006);
        }
        else
        {
            report.GetProperty("code").GetInt32().Should().Be(code);
        }

        var sent = await alice.Client.SendAsync(room, "still going");
        (await alice.Messages.WaitForAsync(m => m.Id == sent.Id)).Room.Should().Be(room);
    }

    [Fact]
    public async Task An_invalid_room_is_refused_with_the_room_rule()
    {
        var report = await RoomDoorsClient.RunAsync("refused", server.Address, "unused", "unused", "/chat/no%20spaces").WaitAsync(Timeout);

        report.GetProperty("code").GetInt32().Should().Be(1008);
        report.GetProperty("reason").GetString().Should().Be("Room names may use letters, digits, - and _ (1-32 characters).");
        report.GetProperty("seen").EnumerateArray().Select(line => line.GetString()).Should().Equal("*** Error: Room names may use letters, digits, - and _ (1-32 characters).");
    }

    [Fact]
    public async Task A_taken_nickname_is_refused_with_the_hubs_sentence()
    {
        await using var alice = await TestClient.ConnectAsync(server.Address, Names.User("alice"));

        var report = await RoomDoorsClient.RunAsync("refused", server.Address, "unused", "unused", $"/ws/chat/{Names.Room()}?username={alice.Nickname}").WaitAsync(Timeout);

        report.GetProperty("code").GetInt32().Should().Be(1008);
        var error = JsonDocument.Parse(report.GetProperty("seen")[0].GetString()!).RootElement;
        error.GetProperty("type").GetString().Should().Be("error");
        error.GetProperty("message").GetString().Should().Be($"The nickname {alice.Nickname} is already in use. Choose another one.");
    }

    [Theory]
    [InlineData("/ws/chat/general")]
    [InlineData("/ws/lobby")]
    [InlineData("/chat/general")]
    public async Task A_browser_page_of_another_origin_is_refused_with_403(string path)
    {
        using var socket = new ClientWebSocket();
        socket.Options.SetRequestHeader("Origin", "http://evil.example");
        socket.Options.CollectHttpResponseDetails = true;

        var connect = () => socket.ConnectAsync(new Uri($"{RoomDoorsClient.WebSocketBase(server.Address)}{path}"), CancellationToken.None).WaitAsync(Timeout);

        await connect.Should().ThrowAsync<WebSocketException>();
        socket.HttpStatusCode.Should().Be(HttpStatusCode.Forbidden);
    }
}
