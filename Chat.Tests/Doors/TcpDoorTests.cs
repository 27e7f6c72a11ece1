using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Chat.Tests.Infrastructure;

namespace Chat.Tests.Doors;

/// <summary>
/// The TCP door's own rules, each on a server configured for it: a client that stops reading is
/// dropped, a silent one is told and closed, and a stopping server says so before it closes.
/// </summary>
[Collection(HeavyLoadCollection.Name)]
public sealed class TcpDoorTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    // 2,000 characters of three UTF-8 bytes each: about 6 KB a line on the wire.
    private static readonly string LargeText = new('字', 2000);

    [Fact]
    public async Task A_tcp_reader_that_stops_is_closed_by_the_server_and_the_room_carries_on()
    {
        var tcpPort = FreePort.Next();
        await using var server = await StartAsync(tcpPort, new Dictionary<string, string>
        {
            ["Chat:Limits:StallTimeoutSeconds"] = "3",

            // Every send below is within these limits: the room outruns the reader, not the rules.
            ["Chat:Limits:SendsPerSecond"] = "100000",
            ["Chat:Limits:SendBurst"] = "100000",
            ["Chat:Limits:InboundMessagesPerSecond"] = "100000",
            ["Chat:Limits:InboundBurst"] = "100000",
        });
        var room = Names.Room("tcpstall");
        var stally = Names.User("stally");
        await using var alice = await TestClient.ConnectAsync(server.Address, Names.User("alice"));
        await alice.Client.JoinAsync(room);
        var bobName = Names.User("bob");
        await using var bob = await NetcatClient.SignInAsync(tcpPort, bobName);
        await bob.SendAsync($"/join {room}\n");
        await bob.WaitForAsync($"Joined room: {room}");

        // A socket with a small receive window that reads up to its join, then never again.
        using var raw = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { ReceiveBufferSize = 4096 };
        await raw.ConnectAsync(IPAddress.Loopback, tcpPort).WaitAsync(Timeout);
        await raw.SendAsync(Encoding.UTF8.GetBytes($"{stally}\n/join {room}\n")).WaitAsync(Timeout);
        await ReadUntilAsync(raw, $"Joined room: {room}");
        await alice.Joins.WaitForAsync(p => p.Room == room && p.Nickname == stally);

        // Bounded: at most 5,000 messages (30 MB) and 40 s.
        var left = alice.Leaves.WaitForAsync(p => p.Room == room && p.Nickname == stally, TimeSpan.FromSeconds(40));
        for (var sent = 0; !left.IsCompleted; sent++)
        {
            sent.Should().BeLessThan(5000, $"a reader that stopped is dropped long before that; the server said:\n{server.Output}");
            await alice.Client.SendAsync(room, LargeText);
        }

        await left;
        (await ReadToEndAsync(raw)).Should().BeTrue("the server closes the stalled connection");
        var sentAfter = await alice.Client.SendAsync(room, "still going");
        (await alice.Messages.WaitForAsync(m => m.Id == sentAfter.Id)).Room.Should().Be(room);
        await bob.WaitForAsync($"[{room}] {alice.Nickname}: still going");
        (await alice.Client.WhoAsync(room)).Users.Should().BeEquivalentTo([alice.Nickname, bobName]);
    }

    [Fact]
    public async Task A_silent_tcp_client_is_told_and_closed_after_the_idle_timeout()
    {
        var tcpPort = FreePort.Next();
        await using var server = await StartAsync(tcpPort, new Dictionary<string, string> { ["Chat:Tcp:IdleTimeoutSeconds"] = "2" });
        var room = Names.Room("idle");
        await using var alice = await TestClient.ConnectAsync(server.Address, Names.User("alice"));
        await alice.Client.JoinAsync(room);
        var quiet = Names.User("quiet");
        await using var tcp = await NetcatClient.SignInAsync(tcpPort, quiet);
        await tcp.SendAsync($"/join {room}\n");
        await tcp.WaitForAsync($"Joined room: {room}");

        await tcp.WaitForAsync("[SYSTEM] Nothing received for 2 s; closing the connection.");
        await tcp.ClosedAsync();
        await alice.Leaves.WaitForAsync(p => p.Room == room && p.Nickname == quiet);

        // Silent at the nickname prompt too.
        await using var silent = NetcatClient.Start(tcpPort);
        await silent.WaitForAsync("[SYSTEM] Nothing received for 2 s; closing the connection.");
        await silent.ClosedAsync();
        silent.Output.Should().StartWith("Enter your nickname: ");
    }

    [Fact]
    public async Task A_stopping_server_tells_tcp_and_ws_users_it_is_restarting_before_it_closes()
    {
        var tcpPort = FreePort.Next();
        await using var server = await StartAsync(tcpPort, []);
        var room = Names.Room("restart");
        await using var tcp = await NetcatClient.SignInAsync(tcpPort, Names.User("bob"));
        await tcp.SendAsync($"/join {room}\n");
        await tcp.WaitForAsync($"Joined room: {room}");
        var carol = Names.User("carol");
        var ws = WebSocketDoorClient.RunAsync($"ws://127.0.0.1:{server.Port}/ws?name={carol}", null, $"send:/join {room}", "wait:Joined room", "drain");
        await tcp.WaitForAsync($"[SYSTEM] {carol} joined {room}");

        await server.StopAsync();

        await tcp.WaitForAsync("[SERVER] The server is restarting; reconnecting…");
        await tcp.ClosedAsync();
        var report = await ws.WaitAsync(Timeout);
        var last = WebSocketDoorClient.Frames(report)[^1];
        last.GetProperty("type").GetString().Should().Be("system");
        last.GetProperty("kind").GetString().Should().Be("restarting");
        WebSocketDoorClient.CloseCode(report).Should().Be(1012, "the server is restarting: the client should reconnect");
    }

    /// <summary>A server of its own with the TCP door on <paramref name="tcpPort"/> and <paramref name="settings"/>.</summary>
    private static Task<ChatServerProcess> StartAsync(int tcpPort, Dictionary<string, string> settings)
    {
        settings["Chat:Tcp:Port"] = tcpPort.ToString(CultureInfo.InvariantCulture);
        return ChatServerProcess.StartAsync(settings: settings);
    }

    private static async Task ReadUntilAsync(Socket socket, string text)
    {
        var seen = new StringBuilder();
        var buffer = new byte[256];
        using var timeout = new CancellationTokenSource(Timeout);
        while (!seen.ToString().Contains(text, StringComparison.Ordinal))
        {
            var count = await socket.ReceiveAsync(buffer, timeout.Token);
            count.Should().BePositive($"the server should send \"{text}\" before closing; it sent:\n{seen}");
            seen.Append(Encoding.UTF8.GetString(buffer, 0, count));
        }
    }

    /// <summary>Reads what is left until the server closes (true) or resets the connection (true); false if it stays open.</summary>
    private static async Task<bool> ReadToEndAsync(Socket socket)
    {
        var buffer = new byte[64 * 1024];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        try
        {
            while (await socket.ReceiveAsync(buffer, timeout.Token) > 0)
            {
            }

            return true;
        }
        catch (SocketException)
        {
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }
}
