using Chat.Tests.Infrastructure;

namespace Chat.Tests.History;

/// <summary>Each test here runs its own server, because it stops and restarts it.</summary>
public abstract class RestartTests(WebSocketPath path)
{
    [Fact]
    public async Task History_survives_a_restart_on_the_same_database_and_seq_continues()
    {
        var room = Names.Room();
        await using var server = await ChatServerProcess.StartAsync(path: path);
        var sent = new List<Chat.Protocol.ChatMessage>();
        await using (var alice = await TestClient.ConnectAsync(server.Address, Names.User("alice")))
        {
            await alice.Client.JoinAsync(room);
            for (var i = 1; i <= 3; i++)
            {
                sent.Add(await alice.Client.SendAsync(room, $"before restart {i}"));
            }
        }

        await server.StopAsync();
        await server.StartAsync();

        await using var bob = await TestClient.ConnectAsync(server.Address, Names.User("bob"));
        var snapshot = await bob.Client.JoinAsync(room);
        snapshot.Messages.Select(m => m.Text).Should().Equal("before restart 1", "before restart 2", "before restart 3");
        snapshot.Messages.Should().Equal(sent, "the store keeps each message's client message id too");
        snapshot.LastSeq.Should().Be(3);
        (await bob.Client.SendAsync(room, "after restart")).Seq.Should().Be(4);
    }

    [Fact]
    public async Task A_client_whose_server_restarts_rejoins_and_gets_the_messages_sent_while_it_was_away_once_in_order()
    {
        var room = Names.Room();
        await using var server = await ChatServerProcess.StartAsync(path: path);
        var held = new HeldRetryPolicy();
        await using var away = TestClient.Create(server.Address, Names.User("away"), reconnectPolicy: held);
        await away.Client.ConnectAsync();
        await using var alice = await TestClient.ConnectAsync(server.Address, Names.User("alice"));
        await away.Client.JoinAsync(room);
        await alice.Client.JoinAsync(room);
        var before = await alice.Client.SendAsync(room, "before the restart");
        await away.Messages.WaitForAsync(m => m.Id == before.Id);

        await server.StopAsync();
        await away.Reconnects.WaitForCountAsync(1);
        await server.StartAsync();

        // Alice's client comes back by itself; the one away is held until she has spoken.
        await alice.Recoveries.WaitForCountAsync(1);
        for (var i = 1; i <= 5; i++)
        {
            await alice.Client.SendAsync(room, $"while away {i}");
        }

        held.Release();
        var report = await away.Recoveries.WaitForAsync(_ => true, TimeSpan.FromSeconds(30));
        report.Rooms.Should().Equal(room);
        report.MissedMessages.Should().Be(5);
        var after = await alice.Client.SendAsync(room, "after");
        await away.Messages.WaitForAsync(m => m.Id == after.Id);
        away.Messages.Items.Select(m => m.Text).Should().Equal(
            "before the restart", "while away 1", "while away 2", "while away 3", "while away 4", "while away 5", "after");
        away.Messages.Items.Select(m => m.Seq).Should().Equal(1L, 2L, 3L, 4L, 5L, 6L, 7L);
    }

    [Fact]
    public async Task A_message_sent_while_disconnected_is_delivered_once_after_the_reconnect()
    {
        var room = Names.Room();
        await using var server = await ChatServerProcess.StartAsync(path: path);
        await using var alice = await TestClient.ConnectAsync(server.Address, Names.User("alice"));
        await using var bob = await TestClient.ConnectAsync(server.Address, Names.User("bob"));
        await alice.Client.JoinAsync(room);
        await bob.Client.JoinAsync(room);

        await server.StopAsync();
        await alice.Reconnects.WaitForCountAsync(1);
        var pending = alice.Client.SendAsync(room, "typed while offline");
        pending.IsCompleted.Should().BeFalse("it waits for the connection instead of failing");
        await server.StartAsync();

        var stored = await pending.WaitAsync(TimeSpan.FromSeconds(30));
        stored.Seq.Should().Be(1);
        await bob.Messages.WaitForAsync(m => m.Id == stored.Id, TimeSpan.FromSeconds(30));
        var barrier = await alice.Client.SendAsync(room, "barrier");
        await bob.Messages.WaitForAsync(m => m.Id == barrier.Id);
        bob.Messages.Items.Count(m => m.Text == "typed while offline").Should().Be(1);
        (await bob.Client.GetHistoryAsync(room, 0, 10)).Select(m => m.Text).Should().Equal("typed while offline", "barrier");
    }

    /// <summary>On the server's own WebSocket framing (the default).</summary>
    public sealed class OnDirectPath() : RestartTests(WebSocketPath.Direct);

    /// <summary>Through ASP.NET Core's HTTP stack.</summary>
    public sealed class OnHttpPath() : RestartTests(WebSocketPath.Http);
}
