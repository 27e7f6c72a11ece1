using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Chat.Protocol;
using Chat.Tests.Infrastructure;

namespace Chat.Tests.Transport;

/// <summary>
/// The WebSocket framing Chat.Server does itself for hub connections (Chat:Transport:DirectWebSockets,
/// on by default): what RFC 6455 asks of a server, seen from the wire, and that every other request
/// still reaches the HTTP stack.
/// </summary>
public sealed class DirectWebSocketTests(UnthrottledServerFixture fixture) : IClassFixture<UnthrottledServerFixture>
{
    private Uri Address => fixture.Address;

    [Fact]
    public async Task The_upgrade_is_answered_with_101_and_the_accept_value_for_the_key()
    {
        const string key = "x3JJHMbDL1EzLkh9GBhXDw==";
        await using var socket = await WireSocket.UpgradeAsync(Address, key: key);

        socket.Response.Should().StartWith("HTTP/1.1 101 ");
        socket.Response.Should().Contain($"Sec-WebSocket-Accept: {WireSocket.AcceptFor(key)}\r\n");
        socket.Response.Should().ContainEquivalentOf("Upgrade: websocket\r\n");
    }

    [Fact]
    public async Task A_hub_message_in_fragments_with_a_ping_between_them_is_read_whole_and_the_ping_answered()
    {
        await using var socket = await WireSocket.UpgradeAsync(Address);
        var handshake = Encoding.UTF8.GetBytes("{\"protocol\":\"json\",\"version\":1}\u001e");

        await socket.SendFrameAsync(WireSocket.Text, handshake[..10], fin: false);
        await socket.SendFrameAsync(WireSocket.Ping, "are you there"u8.ToArray());
        await socket.SendFrameAsync(WireSocket.Continuation, handshake[10..20], fin: false);
        await socket.SendFrameAsync(WireSocket.Continuation, handshake[20..]);

        var pong = await socket.ReceiveAsync();
        pong.Opcode.Should().Be(WireSocket.Pong);
        Encoding.UTF8.GetString(pong.Payload).Should().Be("are you there");
        var answer = await socket.ReceiveAsync();
        answer.Opcode.Should().Be(WireSocket.Text);
        Encoding.UTF8.GetString(answer.Payload).Should().Be("{}\u001e");

        // And the connection is a working hub connection.
        var room = Names.Room();
        await socket.SendTextAsync($"{{\"type\":1,\"invocationId\":\"7\",\"target\":\"{nameof(IChatHub.Join)}\",\"arguments\":[\"{room}\"]}}\u001e");
        var completion = await socket.ReceiveCompletionAsync("7");
        completion.Should().Contain($"\"room\":\"{room}\"").And.NotContain("\"error\"");
    }

    [Fact]
    public async Task An_unmasked_frame_closes_that_connection_with_1002_and_other_users_carry_on()
    {
        var room = Names.Room();
        await using var alice = await TestClient.ConnectAsync(Address, Names.User("alice"));
        await using var bob = await TestClient.ConnectAsync(Address, Names.User("bob"));
        await alice.Client.JoinAsync(room);
        await bob.Client.JoinAsync(room);
        await using var socket = await WireSocket.ConnectHubAsync(Address);

        await socket.SendFrameAsync(WireSocket.Text, "{\"type\":6}\u001e"u8.ToArray(), masked: false);

        (await socket.ReceiveCloseStatusAsync()).Should().Be(1002);
        (await socket.ClosedByServerAsync()).Should().BeTrue();
        await alice.Client.SendAsync(room, "still here");
        await bob.Messages.WaitForAsync(message => message.Text == "still here");
    }

    [Theory]
    [InlineData(10UL * 1024 * 1024)]
    [InlineData((ulong)long.MaxValue)]
    public async Task A_frame_announcing_more_than_the_message_limit_closes_with_1009(ulong length)
    {
        await using var socket = await WireSocket.ConnectHubAsync(Address);

        // Both need the 64-bit length form; the larger is the largest one with the top bit clear.
        await socket.SendFrameAsync(WireSocket.Text, new byte[16], length: length);

        (await socket.ReceiveCloseStatusAsync()).Should().Be(1009);
    }

    [Fact]
    public async Task A_request_that_is_not_a_plain_upgrade_gets_the_http_stacks_answer()
    {
        // No Sec-WebSocket-Key: not a WebSocket handshake, so SignalR's HTTP endpoint answers it.
        await using var socket = await WireSocket.SendRequestAsync(Address,
            $"GET {ChatEndpoints.HubPath} HTTP/1.1\r\nHost: {Address.Authority}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13");

        socket.Response.Should().StartWith("HTTP/1.1 400 ");
        socket.Response.Should().Contain("Server: Kestrel");
    }

    [Fact]
    public async Task A_negotiated_connection_id_is_served_by_signalrs_own_websocket_transport()
    {
        // What a SignalR client does with default options: negotiate, then connect with ?id=.
        using var http = new HttpClient { BaseAddress = Address, Timeout = TimeSpan.FromSeconds(10) };
        using var negotiate = await http.PostAsync($"{ChatEndpoints.HubPath}/negotiate?negotiateVersion=1", null);
        negotiate.EnsureSuccessStatusCode();
        var token = (await negotiate.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("connectionToken").GetString();

        await using var raw = await RawSocket.ConnectAsync(Address, $"id={Uri.EscapeDataString(token!)}&name={Names.User("negotiated")}");
        await raw.SendTextAsync("{\"protocol\":\"json\",\"version\":1}\u001e");

        (await raw.ReceiveTextAsync(TimeSpan.FromSeconds(10))).Should().Be("{}\u001e");
        raw.Socket.HttpResponseHeaders!.Should().ContainKey("Server");
    }

    [Fact]
    public async Task A_history_page_larger_than_64_KiB_arrives_in_one_piece()
    {
        // 40 messages of 2,000 characters: a frame whose length needs the 64-bit form.
        var room = Names.Room();
        await using var alice = await TestClient.ConnectAsync(Address, Names.User("alice"));
        await alice.Client.JoinAsync(room);
        for (var i = 0; i < 40; i++)
        {
            await alice.Client.SendAsync(room, new string((char)('A' + i), 2000));
        }

        var page = await alice.Client.GetHistoryAsync(room, beforeSeq: 0, limit: 40);

        page.Select(message => message.Text[0]).Should().Equal(Enumerable.Range(0, 40).Select(i => (char)('A' + i)));
        page.Should().OnlyContain(message => message.Text.Length == 2000);
    }
}

public sealed class HttpWebSocketTransportTests(HttpWebSocketServerFixture fixture) : IClassFixture<HttpWebSocketServerFixture>
{
    [Fact]
    public async Task With_direct_websockets_off_the_hub_works_through_the_http_stack()
    {
        await using (var probe = await WireSocket.UpgradeAsync(fixture.Address))
        {
            probe.Response.Should().StartWith("HTTP/1.1 101 ").And.Contain("Server: Kestrel");
        }

        var room = Names.Room();
        await using var alice = await TestClient.ConnectAsync(fixture.Address, Names.User("alice"));
        await using var bob = await TestClient.ConnectAsync(fixture.Address, Names.User("bob"));
        await alice.Client.JoinAsync(room);
        await bob.Client.JoinAsync(room);

        await alice.Client.SendAsync(room, "through HTTP");

        await bob.Messages.WaitForAsync(message => message.Text == "through HTTP" && message.Sender == alice.Nickname);
    }
}
