using System.Text;
using System.Text.Json;
using Chat.Tests.Infrastructure;

namespace Chat.Tests.Doors;

/// <summary>
/// The <c>/ws</c> and TCP doors with clients nobody here wrote: Python's websockets on <c>/ws</c>,
/// OpenBSD netcat on TCP, and the official SignalR .NET client on the hub, in one room.
/// </summary>
public sealed class LineDoorTests(LineDoorServerFixture server) : IClassFixture<LineDoorServerFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task A_ws_user_a_tcp_user_and_a_signalr_user_see_each_others_messages_in_order_with_history()
    {
        var room = Names.Room("doors");
        await using var alice = await TestClient.ConnectAsync(server.Address, Names.User("alice"));
        await alice.Client.JoinAsync(room);
        await alice.Client.SendAsync(room, "before anyone");

        var bob = Names.User("bob");
        await using var tcp = await NetcatClient.SignInAsync(server.TcpPort, bob);
        await tcp.SendAsync($"/join {room}\n");
        await tcp.WaitForAsync($"[SYSTEM] Joined room: {room}");
        await tcp.WaitForAsync($"[{room}] {alice.Nickname}: before anyone");

        var carol = Names.User("carol");
        var ws = WebSocketDoorClient.RunAsync(server.WebSocketUrl(carol), null,
            $"send:/join {room}", "wait:from tcp", "send:from ws", "wait:from signalr");
        await tcp.WaitForAsync($"[SYSTEM] {carol} joined {room}");
        (await alice.Client.WhoAsync(room)).Users.Should().Contain([bob, carol]);

        await tcp.SendAsync("from tcp\r\n");
        await alice.Messages.WaitForAsync(message => message.Text == "from tcp" && message.Sender == bob);
        await tcp.WaitForAsync($"[{room}] {carol}: from ws");
        await alice.Messages.WaitForAsync(message => message.Text == "from ws" && message.Sender == carol);
        await alice.Client.SendAsync(room, "from signalr");
        await tcp.WaitForAsync($"[{room}] {alice.Nickname}: from signalr");

        var frames = WebSocketDoorClient.Frames(await ws.WaitAsync(Timeout));
        frames[0].GetProperty("type").GetString().Should().Be("system");
        frames[1].GetProperty("message").GetString().Should().StartWith($"Joined room: {room} (3 users: ");
        var messages = frames.Where(frame => frame.GetProperty("type").GetString() == "message").ToList();
        messages.Select(frame => frame.GetProperty("message").GetString()).Should().Equal("before anyone", "from tcp", "from ws", "from signalr");
        messages[0].GetProperty("history").GetBoolean().Should().BeTrue();
        messages.Select(frame => frame.GetProperty("seq").GetInt64()).Should().BeInAscendingOrder().And.OnlyHaveUniqueItems();
        messages.Should().AllSatisfy(frame => frame.GetProperty("room").GetString().Should().Be(room));
        messages[1].GetProperty("sender").GetString().Should().Be(bob);
    }

    [Fact]
    public async Task Tcp_bad_lines_get_an_error_line_and_the_connection_and_the_room_carry_on()
    {
        var room = Names.Room("tcpbad");
        await using var alice = await TestClient.ConnectAsync(server.Address, Names.User("alice"));
        await alice.Client.JoinAsync(room);

        // Telnet's negotiation (IAC DO ECHO, IAC SB ... IAC SE) before the nickname is ignored.
        var bob = Names.User("bob");
        await using var tcp = NetcatClient.Start(server.TcpPort);
        await tcp.SendAsync([255, 253, 1, 255, 250, 24, 1, 255, 240, .. Encoding.UTF8.GetBytes(bob + "\r\n")]);
        await tcp.WaitForAsync($"Welcome, {bob}!");
        await tcp.SendAsync($"/join {room}\n");
        await tcp.WaitForAsync($"Joined room: {room}");

        await tcp.SendAsync(new string('x', 5000) + "\n");
        await tcp.WaitForAsync("[ERROR] That line is longer than 4096 bytes; it was not sent.");
        await tcp.SendAsync([.. "caf"u8, 0xC3, 0x28, (byte)'\n']);
        await tcp.WaitForAsync("[ERROR] That line is not valid UTF-8; it was not sent.");
        await tcp.SendAsync("/frobnicate\n");
        await tcp.WaitForAsync("[ERROR] Unknown command /frobnicate. Type /help for the list of commands.");
        await tcp.SendAsync("/join no spaces here\n");
        await tcp.WaitForAsync("[ERROR] /join takes a room name and, for a room with a key, the key; neither has spaces. Usage: /join <room> [key]");

        await tcp.SendAsync("still here\n");
        (await alice.Messages.WaitForAsync(message => message.Sender == bob)).Text.Should().Be("still here");
        alice.Messages.Items.Should().ContainSingle(message => message.Sender == bob);
    }

    [Fact]
    public async Task Tcp_taken_nickname_is_refused_with_the_hubs_sentence_and_asked_again()
    {
        await using var alice = await TestClient.ConnectAsync(server.Address, Names.User("alice"));
        await using var tcp = NetcatClient.Start(server.TcpPort);

        await tcp.SendAsync(alice.Nickname + "\n");
        await tcp.WaitForAsync($"[ERROR] The nickname {alice.Nickname} is already in use. Choose another one.");
        var other = Names.User("bob");
        await tcp.SendAsync(other + "\n");
        await tcp.WaitForAsync($"Welcome, {other}!");
    }

    [Fact]
    public async Task Tcp_flood_is_slowed_down_then_closed_and_others_carry_on()
    {
        var room = Names.Room("flood");
        await using var alice = await TestClient.ConnectAsync(server.Address, Names.User("alice"));
        await alice.Client.JoinAsync(room);
        var flooder = Names.User("flood");
        await using var tcp = await NetcatClient.SignInAsync(server.TcpPort, flooder);
        await tcp.SendAsync($"/join {room}\n");
        await tcp.WaitForAsync($"Joined room: {room}");

        await tcp.SendAsync(string.Concat(Enumerable.Range(0, 200).Select(i => $"spam {i}\n")));

        await tcp.WaitForAsync("[ERROR] You are sending too fast. Slow down and try again in a moment.");

        // Past the strikes the hub closes the connection: the flooder leaves the room.
        await alice.Leaves.WaitForAsync(presence => presence.Nickname == flooder && presence.Room == room);
        await tcp.WaitForAsync("[ERROR] Too many requests too fast; the connection is closed.");
        await tcp.ClosedAsync();
        await alice.Client.SendAsync(room, "after the flood");
        (await alice.Messages.WaitForAsync(message => message.Text == "after the flood")).Sender.Should().Be(alice.Nickname);
    }

    [Fact]
    public async Task Tcp_flood_of_lines_that_call_nothing_is_closed_with_the_reason_while_others_chat_on()
    {
        var room = Names.Room("tcplines");
        await using var alice = await TestClient.ConnectAsync(server.Address, Names.User("alice"));
        await alice.Client.JoinAsync(room);
        await using var tcp = await NetcatClient.SignInAsync(server.TcpPort, Names.User("blank"));

        // Blank lines make no hub call: only the door's own inbound budget can stop them.
        await tcp.SendAsync(new string('\n', 1000));

        await tcp.WaitForAsync("[ERROR] Too many messages; the connection is closed.");
        await tcp.ClosedAsync();
        await alice.Client.SendAsync(room, "still fine");
        (await alice.Messages.WaitForAsync(message => message.Text == "still fine")).Room.Should().Be(room);
    }

    [Fact]
    public async Task Ws_binary_frame_gets_an_error_and_the_connection_carries_on()
    {
        var report = await WebSocketDoorClient.RunAsync(server.WebSocketUrl(Names.User("dora")), null, "binary", "send:/rooms", "wait:You are not in any room");

        var frames = WebSocketDoorClient.Frames(report);
        frames.Should().Contain(frame => frame.GetProperty("type").GetString() == "error"
            && frame.GetProperty("message").GetString() == "Binary frames are not accepted: send commands and messages as text.");
        frames[^1].GetProperty("type").GetString().Should().Be("system");
    }

    [Fact]
    public async Task Ws_message_over_the_limit_is_closed_with_1009_and_invalid_utf8_with_1007_while_others_chat_on()
    {
        var room = Names.Room("wsbad");
        await using var alice = await TestClient.ConnectAsync(server.Address, Names.User("alice"));
        await alice.Client.JoinAsync(room);

        var oversize = await WebSocketDoorClient.RunAsync(server.WebSocketUrl(Names.User("big")), null, $"send:/join {room}", $"wait:Joined room", "big:5000", "drain");
        var invalid = await WebSocketDoorClient.RunAsync(server.WebSocketUrl(Names.User("bad")), null, "badutf8", "drain");

        WebSocketDoorClient.CloseCode(oversize).Should().Be(1009);
        // ASP.NET Core's WebSocket answers text that is not UTF-8 with its own 1007 close and resets the
        // connection right after it; a client that reads late sees the reset (no close frame) first.
        new int?[] { 1007, null }.Should().Contain(WebSocketDoorClient.CloseCode(invalid));
        await alice.Client.SendAsync(room, "still fine");
        (await alice.Messages.WaitForAsync(message => message.Text == "still fine")).Room.Should().Be(room);
    }

    [Fact]
    public async Task Ws_flood_of_frames_is_closed_with_1008_while_others_chat_on()
    {
        var room = Names.Room("wsflood");
        await using var alice = await TestClient.ConnectAsync(server.Address, Names.User("alice"));
        await alice.Client.JoinAsync(room);

        // Blank lines do nothing and call nothing on the hub: only the socket's own budget can stop them.
        var report = await WebSocketDoorClient.RunAsync(server.WebSocketUrl(Names.User("flood")), null, "blanks:1000", "drain");

        WebSocketDoorClient.CloseCode(report).Should().Be(1008);
        report.GetProperty("reason").GetString().Should().Be("Too many messages; the connection is closed.");
        await alice.Client.SendAsync(room, "still fine");
        (await alice.Messages.WaitForAsync(message => message.Text == "still fine")).Room.Should().Be(room);
    }

    [Fact]
    public async Task Ws_taken_nickname_gets_the_hubs_sentence_then_a_1008_close()
    {
        await using var alice = await TestClient.ConnectAsync(server.Address, Names.User("alice"));

        var report = await WebSocketDoorClient.RunAsync(server.WebSocketUrl(alice.Nickname), null, "drain");

        WebSocketDoorClient.Frames(report).Should().ContainSingle().Which.GetProperty("message").GetString()
            .Should().Be($"The nickname {alice.Nickname} is already in use. Choose another one.");
        WebSocketDoorClient.CloseCode(report).Should().Be(1008);
    }

    [Fact]
    public async Task Ws_from_a_foreign_origin_is_refused_with_403()
    {
        var report = await WebSocketDoorClient.RunAsync(server.WebSocketUrl(Names.User("eve")), "http://evil.example", "drain");

        report.GetProperty("status").GetInt32().Should().Be(403);
    }

    [Fact]
    public async Task Ws_plain_text_goes_to_the_room_joined_last_until_switch_chooses_another()
    {
        var first = Names.Room("first");
        var second = Names.Room("second");
        await using var alice = await TestClient.ConnectAsync(server.Address, Names.User("alice"));
        await alice.Client.JoinAsync(first);
        await alice.Client.JoinAsync(second);

        var report = await WebSocketDoorClient.RunAsync(server.WebSocketUrl(Names.User("dora")), null,
            $"send:/join {first}", $"send:/join {second}", "send:to second", "wait:to second", $"send:/switch {first}", "send:to first", "wait:to first");

        var messages = WebSocketDoorClient.Frames(report).Where(frame => frame.GetProperty("type").GetString() == "message").ToList();
        messages.Select(frame => (frame.GetProperty("room").GetString(), frame.GetProperty("message").GetString()))
            .Should().Equal((second, "to second"), (first, "to first"));
    }

    [Fact]
    public async Task Nick_and_msg_work_through_ws_and_tcp_to_and_from_a_signalr_user()
    {
        await using var alice = await TestClient.ConnectAsync(server.Address, Names.User("alice"));
        await using var tcp = await NetcatClient.SignInAsync(server.TcpPort, Names.User("bob"));
        var bob = Names.User("bob");
        var carol = Names.User("carol");

        await tcp.SendAsync($"/nick {bob}\n");
        await tcp.WaitForAsync($"[SYSTEM] You are now known as {bob}");
        await tcp.SendAsync($"/msg {alice.Nickname} hi from tcp\n");
        (await alice.Directs.WaitForAsync(m => m.Text == "hi from tcp")).From.Should().Be(bob);
        await tcp.WaitForAsync($"[private] {bob} → {alice.Nickname}: hi from tcp");
        await alice.Client.SendDirectAsync(bob, "hi tcp");
        await tcp.WaitForAsync($"[private] {alice.Nickname} → {bob}: hi tcp");

        var ws = WebSocketDoorClient.RunAsync(server.WebSocketUrl(Names.User("dora")), null,
            $"send:/nick {carol}", $"wait:You are now known as {carol}", $"send:/msg {alice.Nickname} hi from ws", "wait:hi from ws", "wait:hi ws");
        (await alice.Directs.WaitForAsync(m => m.Text == "hi from ws")).From.Should().Be(carol);
        await alice.Client.SendDirectAsync(carol, "hi ws");

        var privates = WebSocketDoorClient.Frames(await ws.WaitAsync(Timeout)).Where(frame => frame.GetProperty("type").GetString() == "private").ToList();
        privates.Select(frame => (frame.GetProperty("sender").GetString(), frame.GetProperty("to").GetString(), frame.GetProperty("message").GetString()))
            .Should().Equal((carol, alice.Nickname, "hi from ws"), (alice.Nickname, carol, "hi ws"));
    }

    [Fact]
    public async Task Ws_flood_is_closed_with_the_reason_in_the_last_frame_and_the_close_and_others_carry_on()
    {
        var room = Names.Room("wsflood");
        var flooder = Names.User("flood");
        await using var alice = await TestClient.ConnectAsync(server.Address, Names.User("alice"));
        await alice.Client.JoinAsync(room);

        var report = await WebSocketDoorClient.RunAsync(server.WebSocketUrl(flooder), null, $"send:/join {room}", "wait:Joined room", "flood:200", "drain");

        WebSocketDoorClient.CloseCode(report).Should().Be(1008);
        report.GetProperty("reason").GetString().Should().Be("Too many requests too fast; the connection is closed.");
        var last = WebSocketDoorClient.Frames(report)[^1];
        last.GetProperty("type").GetString().Should().Be("error");
        last.GetProperty("message").GetString().Should().Be("Too many requests too fast; the connection is closed.");
        await alice.Leaves.WaitForAsync(presence => presence.Nickname == flooder && presence.Room == room);
        var sent = await alice.Client.SendAsync(room, "after the flood");
        (await alice.Messages.WaitForAsync(m => m.Id == sent.Id)).Room.Should().Be(room);
    }
}
