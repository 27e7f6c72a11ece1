using Chat.Protocol;
using Chat.Tests.Infrastructure;

namespace Chat.Tests.Hardening;

/// <summary>Clients that stall: they never finish the handshake, or stop reading.</summary>
public abstract class StallTests(WebSocketPath path) : IAsyncLifetime
{
    private ChatServerProcess? _server;

    private ChatServerProcess Server => _server!;

    public async Task InitializeAsync() =>
        _server = await ChatServerProcess.StartAsync(path: path, settings: new Dictionary<string, string>
        {
            ["Chat:Limits:HandshakeTimeoutSeconds"] = "2",
            ["Chat:Limits:ClientTimeoutSeconds"] = "4",
            ["Chat:Limits:StallTimeoutSeconds"] = "2",
            ["Chat:Limits:SendsPerSecond"] = "100000",
            ["Chat:Limits:SendBurst"] = "100000",
            ["Chat:Limits:InboundMessagesPerSecond"] = "100000",
            ["Chat:Limits:InboundBurst"] = "100000",
        });

    public async Task DisposeAsync() => await Server.DisposeAsync();

    [Fact]
    public async Task A_connection_that_never_completes_its_handshake_is_closed()
    {
        await using var silent = await RawSocket.ConnectAsync(Server.Address);
        await using var broken = await RawSocket.ConnectAsync(Server.Address);
        await broken.SendTextAsync("{\"protocol\":\"json\",\"vers");

        (await silent.WaitForCloseAsync(TimeSpan.FromSeconds(10))).Should().BeTrue();
        (await broken.WaitForCloseAsync(TimeSpan.FromSeconds(10))).Should().BeTrue();
    }

    [Fact]
    public async Task A_client_that_stops_reading_delays_nobody_is_dropped_and_recovers_by_seq()
    {
        var room = Names.Room();
        var key = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
        var frozenName = Names.User("frozen");
        await using var alice = await TestClient.ConnectAsync(Server.Address, Names.User("alice"));
        await using var bob = await TestClient.ConnectAsync(Server.Address, Names.User("bob"));
        await alice.Client.JoinAsync(room);
        await bob.Client.JoinAsync(room);
        await using var frozen = await RawSocket.ConnectWithHandshakeAsync(Server.Address, $"name={frozenName}&key={key}");
        await frozen.SendTextAsync(RawSocket.Invocation(nameof(IChatHub.Join), room));
        await alice.Joins.WaitForAsync(p => p.Nickname == frozenName);

        // The frozen client neither reads nor writes from here on, while the room keeps talking.
        var text = new string('m', 1900);
        var sent = new List<Chat.Protocol.ChatMessage>();
        var slowest = TimeSpan.Zero;
        for (var i = 0; i < 150; i++)
        {
            var clock = System.Diagnostics.Stopwatch.StartNew();
            var message = await alice.Client.SendAsync(room, $"{i} {text}");
            await bob.Messages.WaitForAsync(m => m.Id == message.Id);
            slowest = clock.Elapsed > slowest ? clock.Elapsed : slowest;
            sent.Add(message);
            if (i % 10 == 9)
            {
                await Task.Delay(100);
            }
        }

        slowest.Should().BeLessThan(TimeSpan.FromSeconds(2), "a stalled member must not hold up delivery to the others");
        await alice.Leaves.WaitForAsync(p => p.Nickname == frozenName, TimeSpan.FromSeconds(20));

        await using var back = await TestClient.ConnectAsync(Server.Address, frozenName, key);
        await back.Client.JoinAsync(room);
        var recovered = await back.ReadWholeHistoryAsync(room);
        recovered.Select(m => m.Id).Should().Equal(sent.Select(m => m.Id));
    }

    [Fact]
    public async Task A_client_that_keeps_pinging_but_never_reads_is_dropped_once_its_buffer_stays_full()
    {
        var room = Names.Room();
        var stuckName = Names.User("stuck");
        await using var alice = await TestClient.ConnectAsync(Server.Address, Names.User("alice"));
        await alice.Client.JoinAsync(room);
        await using var stuck = await RawSocket.ConnectWithHandshakeAsync(Server.Address, $"name={stuckName}");
        await stuck.SendTextAsync(RawSocket.Invocation(nameof(IChatHub.Join), room));
        await alice.Joins.WaitForAsync(p => p.Nickname == stuckName);
        using var stopPinging = new CancellationTokenSource();
        var pinger = Task.Run(async () =>
        {
            while (!stopPinging.IsCancellationRequested)
            {
                try
                {
                    await stuck.SendTextAsync("{\"type\":6}" + RawSocket.RecordSeparator);
                    await Task.Delay(500, stopPinging.Token);
                }
                catch (Exception)
                {
                    return;
                }
            }
        });

        // Non-ASCII text is escaped in JSON, so each message is several kilobytes on the wire: enough
        // of them fill the socket buffers of a client that does not read.
        var heavy = new string('\u0800', 1990);
        for (var batch = 0; batch < 200 && alice.Leaves.Items.Count == 0; batch++)
        {
            await Task.WhenAll(Enumerable.Range(0, 10).Select(i => alice.Client.SendAsync(room, $"{batch}.{i} {heavy}")));
        }

        (await alice.Leaves.WaitForAsync(p => p.Nickname == stuckName, TimeSpan.FromSeconds(20))).Room.Should().Be(room);
        await stopPinging.CancelAsync();
        await pinger;

        // The console logger writes on its own thread: the entry may come out after the leave reached alice.
        await Server.WaitForOutputAsync("[STALLED]");
    }

    /// <summary>On the server's own WebSocket framing (the default).</summary>
    public sealed class OnDirectPath() : StallTests(WebSocketPath.Direct);

    /// <summary>Through ASP.NET Core's HTTP stack.</summary>
    public sealed class OnHttpPath() : StallTests(WebSocketPath.Http);
}
