using Chat.Client;
using Chat.Protocol;
using Chat.Tests.Infrastructure;

namespace Chat.Tests.Client;

/// <summary>
/// The order in which <see cref="ChatClient"/> raises a room's events, as an application sees them on
/// its one stream: a join's snapshot before the room's messages, a recovery report before what it
/// recovered and that before newer messages, each message once and in seq order.
/// </summary>
public abstract class EventOrderTests(WebSocketPath path)
{
    // The senders here go as fast as the server answers, to race the join and the catch-up.
    private static readonly Dictionary<string, string> Unthrottled = new()
    {
        ["Chat:Limits:SendsPerSecond"] = "10000",
        ["Chat:Limits:SendBurst"] = "10000",
    };

    [Fact]
    public async Task Messages_sent_while_a_join_is_in_flight_reach_the_application_after_the_snapshot_once_each_in_seq_order()
    {
        var room = Names.Room();
        await using var server = await ChatServerProcess.StartAsync(settings: Unthrottled, path: path);
        await using var alice = await TestClient.ConnectAsync(server.Address, Names.User("alice"));
        await alice.Client.JoinAsync(room);
        await using var bob = await TestClient.ConnectAsync(server.Address, Names.User("bob"));
        var stream = Record(bob.Client.Inner);

        using var stop = new CancellationTokenSource();
        var sending = SendUntilStoppedAsync(alice.Client.Inner, room, "during the join", stop.Token);
        await alice.Messages.WaitForCountAsync(3);
        var snapshot = await bob.Client.JoinAsync(room).WaitAsync(EventRecorder<ChatMessage>.DefaultTimeout);
        var afterJoin = await alice.Messages.WaitForAsync(m => m.Seq > snapshot.LastSeq + 3);
        await stop.CancelAsync();
        var sent = await sending;

        var last = sent[^1];
        await stream.WaitForAsync(item => item == $"message {last.Seq}");
        var events = stream.Items;
        events[0].Should().Be($"joined {snapshot.LastSeq}", "the snapshot comes before any message of the room");
        events.Skip(1).Should().Equal(
            Enumerable.Range((int)snapshot.LastSeq + 1, (int)(last.Seq - snapshot.LastSeq)).Select(seq => $"message {seq}"),
            "the messages after the snapshot follow it once each, in seq order");
        afterJoin.Seq.Should().BeGreaterThan(snapshot.LastSeq);
    }

    [Fact]
    public async Task After_a_reconnect_the_report_comes_before_the_missed_messages_and_those_before_live_ones()
    {
        var room = Names.Room();
        await using var server = await ChatServerProcess.StartAsync(settings: Unthrottled, path: path);
        var held = new HeldRetryPolicy();
        await using var away = TestClient.Create(server.Address, Names.User("away"), reconnectPolicy: held);
        var stream = Record(away.Client.Inner);
        await away.Client.ConnectAsync();
        await using var alice = await TestClient.ConnectAsync(server.Address, Names.User("alice"));
        await away.Client.JoinAsync(room);
        await alice.Client.JoinAsync(room);
        var before = await alice.Client.SendAsync(room, "before the restart");
        await stream.WaitForAsync(item => item == $"message {before.Seq}");

        await server.StopAsync();
        await away.Reconnects.WaitForCountAsync(1);
        await server.StartAsync();
        await alice.Recoveries.WaitForCountAsync(1, TimeSpan.FromSeconds(30));
        for (var i = 1; i <= 5; i++)
        {
            await alice.Client.SendAsync(room, $"while away {i}");
        }

        // Alice goes on talking while the one away comes back: live messages race its catch-up.
        using var stop = new CancellationTokenSource();
        var sending = SendUntilStoppedAsync(alice.Client.Inner, room, "live", stop.Token);
        held.Release();
        var report = await away.Recoveries.WaitForAsync(_ => true, TimeSpan.FromSeconds(30));
        await alice.Messages.WaitForAsync(m => m.Text == "live 3");
        await stop.CancelAsync();
        var sent = await sending;
        await stream.WaitForAsync(item => item == $"message {sent[^1].Seq}");

        report.MissedMessages.Should().BeGreaterThanOrEqualTo(5);
        var events = stream.Items;
        var reported = events.ToList().IndexOf("reconnected");
        events.Take(reported).Should().Equal("joined 0", $"message {before.Seq}");
        events.Skip(reported + 1).Should().Equal(
            Enumerable.Range((int)before.Seq + 1, (int)(sent[^1].Seq - before.Seq)).Select(seq => $"message {seq}"),
            "the missed messages follow the report, then the live ones, once each in seq order");
    }

    /// <summary>Every room event of a client, as "joined LASTSEQ", "message SEQ" or "reconnected", in the order raised.</summary>
    private static EventRecorder<string> Record(ChatClient client)
    {
        var stream = new EventRecorder<string>();
        client.RoomJoined += snapshot => stream.Add($"joined {snapshot.LastSeq}");
        client.MessageReceived += message => stream.Add($"message {message.Seq}");
        client.Reconnected += _ => stream.Add("reconnected");
        return stream;
    }

    private static async Task<IReadOnlyList<ChatMessage>> SendUntilStoppedAsync(ChatClient client, string room, string text, CancellationToken stop)
    {
        var sent = new List<ChatMessage>();
        for (var i = 1; !stop.IsCancellationRequested; i++)
        {
            // A send under way finishes, so every message stored is in the list.
            sent.Add(await client.SendAsync(room, $"{text} {i}", CancellationToken.None));
        }

        return sent;
    }

    /// <summary>On the server's own WebSocket framing (the default).</summary>
    public sealed class OnDirectPath() : EventOrderTests(WebSocketPath.Direct);

    /// <summary>Through ASP.NET Core's HTTP stack.</summary>
    public sealed class OnHttpPath() : EventOrderTests(WebSocketPath.Http);
}
