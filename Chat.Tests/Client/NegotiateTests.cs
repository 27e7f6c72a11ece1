using Chat.Tests.Infrastructure;
using Microsoft.AspNetCore.Http.Connections;

namespace Chat.Tests.Client;

/// <summary>
/// A client that negotiates (<c>ChatClientOptions.Negotiate</c>) forced onto one transport, as a proxy
/// that breaks WebSockets would force it, does everything a WebSocket client does: join, send, receive,
/// and come back after its server restarts with what it missed, once, in order. Its partner uses the
/// default straight WebSocket, so each message crosses from one kind of connection to the other.
/// </summary>
public abstract class NegotiateTests(HttpTransportType transport)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task A_negotiating_client_chats_and_recovers_after_a_server_restart_on_its_transport()
    {
        var room = Names.Room();
        var key = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
        var logs = new LogRecorder();
        await using var server = await ChatServerProcess.StartAsync();
        var held = new HeldRetryPolicy();
        await using var alice = TestClient.Create(server.Address, Names.User("alice"), key, held, negotiate: transport, loggerFactory: logs.Factory);
        await alice.Client.ConnectAsync().WaitAsync(Patience);
        await logs.Entries.WaitForAsync(entry => entry.EventName == "TransportStarted" && entry.Text.Contains($"'{transport}'", StringComparison.Ordinal));
        await using var bob = await TestClient.ConnectAsync(server.Address, Names.User("bob"));
        await alice.Client.JoinAsync(room).WaitAsync(Patience);
        await bob.Client.JoinAsync(room).WaitAsync(Patience);
        await alice.Joins.WaitForAsync(p => p.Nickname == bob.Nickname);

        var fromBob = await bob.Client.SendAsync(room, "from the WebSocket").WaitAsync(Patience);
        await alice.Messages.WaitForAsync(m => m.Id == fromBob.Id);
        var fromAlice = await alice.Client.SendAsync(room, $"from {transport}").WaitAsync(Patience);
        await bob.Messages.WaitForAsync(m => m.Id == fromAlice.Id);

        await server.StopAsync();
        await alice.Reconnects.WaitForCountAsync(1);
        await server.StartAsync();

        // Bob comes back by itself; Alice is held until he has spoken, and catches up by seq.
        await bob.Recoveries.WaitForCountAsync(1, TimeSpan.FromSeconds(30));
        for (var i = 1; i <= 3; i++)
        {
            await bob.Client.SendAsync(room, $"while away {i}").WaitAsync(Patience);
        }

        held.Release();
        var report = await alice.Recoveries.WaitForAsync(_ => true, TimeSpan.FromSeconds(30));
        report.Rooms.Should().Equal(room);
        report.MissedMessages.Should().Be(3);
        var after = await alice.Client.SendAsync(room, "back again").WaitAsync(Patience);
        await bob.Messages.WaitForAsync(m => m.Id == after.Id);
        await alice.Messages.WaitForAsync(m => m.Id == after.Id);

        alice.Messages.Items.Select(m => m.Text).Should().Equal(
            "from the WebSocket", $"from {transport}", "while away 1", "while away 2", "while away 3", "back again");
        alice.Messages.Items.Select(m => m.Seq).Should().Equal(1L, 2L, 3L, 4L, 5L, 6L);
        (await alice.Client.MeAsync().WaitAsync(Patience)).Nickname.Should().Be(alice.Nickname);
        logs.Entries.Items.Where(entry => entry.EventName == "TransportStarted").Should().OnlyContain(
            entry => entry.Text.Contains($"'{transport}'", StringComparison.Ordinal), "negotiate never chose another transport");
        logs.Entries.Items.Should().NotContain(entry => entry.Text.Contains(key, StringComparison.Ordinal), "the key travels in a header, which nothing logs");
    }

    public sealed class OverServerSentEvents() : NegotiateTests(HttpTransportType.ServerSentEvents);

    public sealed class OverLongPolling() : NegotiateTests(HttpTransportType.LongPolling);

    /// <summary>A negotiated WebSocket carries a connection id, so the server's direct path leaves it to the HTTP stack.</summary>
    public sealed class OverNegotiatedWebSockets() : NegotiateTests(HttpTransportType.WebSockets);
}
