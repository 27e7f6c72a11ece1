using System.Net.WebSockets;
using System.Text;
using Chat.Protocol;
using Chat.Tests.Infrastructure;

namespace Chat.Tests.Hardening;

public abstract class FuzzTests(WebSocketPath path) : IAsyncLifetime
{
    private ChatServerProcess? _server;

    private ChatServerProcess Server => _server!;

    // The flood guard is raised here: this test is about malformed input, not rate.
    public async Task InitializeAsync() =>
        _server = await ChatServerProcess.StartAsync(path: path, settings: new Dictionary<string, string>
        {
            ["Chat:Limits:InboundMessagesPerSecond"] = "1000000",
            ["Chat:Limits:InboundBurst"] = "1000000",
            ["Chat:Limits:CallsPerSecond"] = "1000000",
            ["Chat:Limits:CallBurst"] = "1000000",
            ["Chat:Limits:SendsPerSecond"] = "1000000",
            ["Chat:Limits:SendBurst"] = "1000000",
            ["Chat:Limits:JoinsPerSecond"] = "1000000",
            ["Chat:Limits:JoinBurst"] = "1000000",
        });

    public async Task DisposeAsync() => await Server.DisposeAsync();

    [Fact]
    public async Task Ten_thousand_malformed_frames_leave_the_server_serving_others_with_settled_memory()
    {
        var room = Names.Room();
        await using var alice = await TestClient.ConnectAsync(Server.Address, Names.User("alice"));
        await using var bob = await TestClient.ConnectAsync(Server.Address, Names.User("bob"));
        await alice.Client.JoinAsync(room);
        await bob.Client.JoinAsync(room);
        var random = new Random(20261121);

        var afterFirstRound = await FuzzAsync(5000, random, room);
        var firstMemory = ProcessMemory.ResidentBytes(Server.ProcessId!.Value);
        var afterSecondRound = await FuzzAsync(5000, random, room);
        var secondMemory = ProcessMemory.ResidentBytes(Server.ProcessId!.Value);

        (afterFirstRound + afterSecondRound).Should().BeGreaterThanOrEqualTo(10_000);
        secondMemory.Should().BeLessThan((long)(firstMemory * 1.5) + (32L << 20), "a second round of the same abuse must not keep growing the server");
        var message = await alice.Client.SendAsync(room, "still serving");
        await bob.Messages.WaitForAsync(m => m.Id == message.Id);
        Server.Output.Should().NotContain("Unhandled exception");
    }

    /// <summary>Sends <paramref name="count"/> bad frames, opening a new socket whenever the server closes one.</summary>
    private async Task<int> FuzzAsync(int count, Random random, string room)
    {
        var sent = 0;
        RawSocket? socket = null;
        try
        {
            while (sent < count)
            {
                if (socket is null || socket.Socket.State != WebSocketState.Open)
                {
                    if (socket is not null)
                    {
                        await socket.DisposeAsync();
                    }

                    socket = random.Next(10) == 0
                        ? await RawSocket.ConnectAsync(Server.Address)
                        : await RawSocket.ConnectWithHandshakeAsync(Server.Address);
                    _ = DrainAsync(socket);
                }

                var (bytes, type) = NextFrame(random, room);
                try
                {
                    await socket.SendAsync(bytes, type);
                    sent++;
                }
                catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException)
                {
                    socket.Socket.Abort();
                }
            }
        }
        finally
        {
            if (socket is not null)
            {
                await socket.DisposeAsync();
            }
        }

        return sent;
    }

    private static async Task DrainAsync(RawSocket socket)
    {
        try
        {
            await socket.WaitForCloseAsync(TimeSpan.FromSeconds(120));
        }
        catch (Exception)
        {
            // The fuzzer aborts sockets under this reader; that ends it.
        }
    }

    private static (byte[] Bytes, WebSocketMessageType Type) NextFrame(Random random, string room)
    {
        const char separator = RawSocket.RecordSeparator;
        string Valid() => RawSocket.Invocation(random.Next(3) switch { 0 => nameof(IChatHub.SendMessage), 1 => nameof(IChatHub.Join), _ => nameof(IChatHub.History) }, room, "text", "id");
        return random.Next(14) switch
        {
            0 => (RandomBytes(random, random.Next(1, 200)), WebSocketMessageType.Binary),
            1 => (RandomBytes(random, random.Next(1, 200)), WebSocketMessageType.Text),
            2 => (Encoding.UTF8.GetBytes("{\"type\":1,\"target\":\"" + nameof(IChatHub.Join) + "\",\"arguments\":[" + new string('[', 5000) + separator), WebSocketMessageType.Text),
            3 => (Encoding.UTF8.GetBytes(RawSocket.Invocation(nameof(IChatHub.Join)) /* too few arguments */), WebSocketMessageType.Text),
            4 => (Encoding.UTF8.GetBytes(RawSocket.Invocation(nameof(IChatHub.Join), 1, 2, 3)), WebSocketMessageType.Text),
            5 => (Encoding.UTF8.GetBytes(RawSocket.Invocation(nameof(IChatHub.History), room, "not a number", new { nested = true })), WebSocketMessageType.Text),
            6 => (Encoding.UTF8.GetBytes(RawSocket.Invocation("NoSuchMethod" + random.Next(1000), room)), WebSocketMessageType.Text),
            7 => (Encoding.UTF8.GetBytes("{\"type\":" + random.Next(-5, 50) + ",\"target\":\"" + nameof(IChatHub.Join) + "\"}" + separator), WebSocketMessageType.Text),
            8 => (Mutate(Encoding.UTF8.GetBytes(Valid()), random), WebSocketMessageType.Text),
            9 => ([.. Encoding.UTF8.GetBytes("{\"type\":1,\"target\":\"" + nameof(IChatHub.SendMessage) + "\",\"arguments\":[\""), 0xC3, 0x28, 0xFF, .. Encoding.UTF8.GetBytes("\"]}" + separator)], WebSocketMessageType.Text),
            10 => (Encoding.UTF8.GetBytes(RawSocket.Invocation(nameof(IChatHub.SetNickname), "bad\u0000\u200Bname\u202E")), WebSocketMessageType.Text),
            11 => (Encoding.UTF8.GetBytes(RawSocket.Invocation(nameof(IChatHub.Join), "r\u0007oom\u200D")), WebSocketMessageType.Text),
            12 => (Encoding.UTF8.GetBytes(RawSocket.Invocation(nameof(IChatHub.SendMessage), room, 1e308, null)), WebSocketMessageType.Text),
            _ => (Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat(separator.ToString(), random.Next(1, 50)))), WebSocketMessageType.Text),
        };
    }

    private static byte[] RandomBytes(Random random, int length)
    {
        var bytes = new byte[length];
        random.NextBytes(bytes);
        return bytes;
    }

    private static byte[] Mutate(byte[] frame, Random random)
    {
        for (var i = random.Next(1, 5); i > 0; i--)
        {
            frame[random.Next(frame.Length)] = (byte)random.Next(256);
        }

        return frame;
    }

    /// <summary>On the server's own WebSocket framing (the default).</summary>
    public sealed class OnDirectPath() : FuzzTests(WebSocketPath.Direct);

    /// <summary>Through ASP.NET Core's HTTP stack.</summary>
    public sealed class OnHttpPath() : FuzzTests(WebSocketPath.Http);
}
