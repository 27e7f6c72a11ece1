using System.Diagnostics;
using System.Net;
using Chat.Protocol;
using Chat.Tests.Infrastructure;

namespace Chat.Tests.Scaleout;

/// <summary>
/// Redis goes away for 10 seconds while messages flow. Each node keeps serving its own clients
/// (history in PostgreSQL stays complete and gapless), nothing hangs, and once Redis is back the nodes
/// rejoin by themselves and members on other nodes recover what they missed by seq, exactly once.
/// Each test runs its own Redis, because it takes it away.
/// </summary>
public sealed class RedisOutageTests(PostgresFixture postgres) : IClassFixture<PostgresFixture>
{
    private static readonly TimeSpan Outage = TimeSpan.FromSeconds(10);

    /// <summary>A hub call during the outage answers within this, though Redis does not.</summary>
    private static readonly TimeSpan CallBound = TimeSpan.FromSeconds(4);

    public enum OutageKind
    {
        /// <summary>SIGSTOP: sockets stay open and nothing answers.</summary>
        Hanging,

        /// <summary>Killed, then started again empty.</summary>
        Stopped,
    }

    [Theory]
    [InlineData(OutageKind.Hanging)]
    [InlineData(OutageKind.Stopped)]
    public async Task Each_node_serves_its_own_clients_during_a_redis_outage_and_the_others_recover_every_message_once_afterwards(OutageKind kind)
    {
        await using var redis = await RedisServer.StartAsync();
        await using var cluster = await Cluster.StartAsync(2, redis, postgres.Server);
        await cluster.WaitUntilHealthyAsync(TimeSpan.FromSeconds(30));
        var (first, second) = (cluster.Nodes[0], cluster.Nodes[1]);
        var room = Names.Room();
        await using var alice = await TestClient.ConnectAsync(first.Address, Names.User("alice"));
        await using var amy = await TestClient.ConnectAsync(first.Address, Names.User("amy"));
        await using var bob = await TestClient.ConnectAsync(second.Address, Names.User("bob"));
        foreach (var member in new[] { alice, amy, bob })
        {
            await member.Client.JoinAsync(room);
        }

        var warmUp = await alice.Client.SendAsync(room, "before the outage");
        await bob.Messages.WaitForAsync(m => m.Id == warmUp.Id);

        if (kind == OutageKind.Hanging)
        {
            redis.Freeze();
        }
        else
        {
            await redis.KillAsync();
        }

        var outage = Stopwatch.StartNew();
        var sentDuring = new List<ChatMessage>();
        var sawDegraded = false;
        for (var i = 1; outage.Elapsed < Outage; i++)
        {
            // Same-node delivery goes on, and no call waits on Redis for long.
            var fromAlice = await Bounded(alice.Client.SendAsync(room, $"alice during {i}"));
            (await amy.Messages.WaitForAsync(m => m.Id == fromAlice.Id, CallBound)).Text.Should().Be($"alice during {i}");
            var fromBob = await Bounded(bob.Client.SendAsync(room, $"bob during {i}"));
            await bob.Messages.WaitForAsync(m => m.Id == fromBob.Id, CallBound);
            sentDuring.AddRange([fromAlice, fromBob]);

            (await Bounded(amy.Client.WhoAsync(room))).Users.Should().Contain([alice.Nickname, amy.Nickname], "the node answers from what it knows");
            await Bounded(amy.Client.ListRoomsAsync());
            var (status, body) = await Bounded(Cluster.ReadinessAsync(first));
            status.Should().Be(HttpStatusCode.OK);
            sawDegraded |= body == "Degraded";
            (await Cluster.LivenessAsync(first)).Should().Be(HttpStatusCode.OK);
            await Task.Delay(TimeSpan.FromMilliseconds(300));
        }

        sawDegraded.Should().BeTrue("/readyz reports Degraded while Redis is away");
        if (kind == OutageKind.Hanging)
        {
            redis.Thaw();
        }
        else
        {
            await redis.RestartAsync();
        }

        // The nodes reconnect, resubscribe and register their users again by themselves.
        await cluster.WaitUntilHealthyAsync(TimeSpan.FromSeconds(30));
        var afterFromFirst = await alice.Client.SendAsync(room, "after, from the first node");
        await bob.Messages.WaitForAsync(m => m.Id == afterFromFirst.Id, TimeSpan.FromSeconds(15));
        var afterFromSecond = await bob.Client.SendAsync(room, "after, from the second node");
        await alice.Messages.WaitForAsync(m => m.Id == afterFromSecond.Id, TimeSpan.FromSeconds(15));
        await amy.Messages.WaitForAsync(m => m.Id == afterFromSecond.Id, TimeSpan.FromSeconds(15));

        var history = await amy.ReadWholeHistoryAsync(room);

        history.Select(m => m.Seq).Should().Equal(Enumerable.Range(1, history.Count).Select(i => (long)i), "seq stays gapless");
        history.Should().Contain([warmUp, .. sentDuring, afterFromFirst, afterFromSecond], "everything acknowledged is stored");
        history.Should().HaveCount(sentDuring.Count + 3);
        foreach (var member in new[] { alice, amy, bob })
        {
            member.Messages.Items.Should().Equal(history, $"{member.Nickname} got every message exactly once, in order");
        }

        (await bob.Client.WhoAsync(room)).Users.Should().BeEquivalentTo(alice.Nickname, amy.Nickname, bob.Nickname);
        (await bob.Client.ListRoomsAsync()).Should().ContainSingle(r => r.Name == room).Which.UserCount.Should().Be(3);
    }

    [Fact]
    public async Task A_client_connecting_while_redis_is_down_is_accepted_chats_with_its_node_and_is_reached_from_the_other_node_once_redis_is_back()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var cluster = await Cluster.StartAsync(2, redis, postgres.Server);
        await cluster.WaitUntilHealthyAsync(TimeSpan.FromSeconds(30));
        var (first, second) = (cluster.Nodes[0], cluster.Nodes[1]);
        var room = Names.Room();
        await using var alice = await TestClient.ConnectAsync(first.Address, Names.User("alice"));
        await using var bob = await TestClient.ConnectAsync(second.Address, Names.User("bob"));
        await alice.Client.JoinAsync(room);
        await bob.Client.JoinAsync(room);

        await redis.KillAsync();
        await WaitForReadinessAsync(first, "Degraded");

        // The official manager's OnConnectedAsync awaits a SUBSCRIBE; the layer around it does not let that close the connection.
        await using var carol = await Bounded(TestClient.ConnectAsync(first.Address, Names.User("carol")));
        await Bounded(carol.Client.JoinAsync(room));
        var fromCarol = await Bounded(carol.Client.SendAsync(room, "carol, new during the outage"));
        await alice.Messages.WaitForAsync(m => m.Id == fromCarol.Id, CallBound);
        var fromAlice = await Bounded(alice.Client.SendAsync(room, "alice, to the new client"));
        await carol.Messages.WaitForAsync(m => m.Id == fromAlice.Id, CallBound);

        await redis.RestartAsync();
        await cluster.WaitUntilHealthyAsync(TimeSpan.FromSeconds(30));

        // Carol was never registered with a backplane before: the build after the outage registers her and her room.
        var fromBob = await bob.Client.SendAsync(room, "bob, after the outage");
        await carol.Messages.WaitForAsync(m => m.Id == fromBob.Id, TimeSpan.FromSeconds(15));
        var direct = await bob.Client.SendDirectAsync(carol.Nickname, "psst");
        await carol.Directs.WaitForAsync(m => m.Id == direct.Id, TimeSpan.FromSeconds(15));
        var history = await carol.ReadWholeHistoryAsync(room);
        carol.Messages.Items.Should().Equal(history.Where(m => m.Seq >= carol.Messages.Items[0].Seq), "carol got every message since she joined once, in order");
    }

    [Fact]
    public async Task A_node_stopped_while_redis_is_down_exits_cleanly_after_telling_its_clients_and_keeps_every_acknowledged_message()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var cluster = await Cluster.StartAsync(1, redis, postgres.Server);
        await cluster.WaitUntilHealthyAsync(TimeSpan.FromSeconds(30));
        var node = cluster.Nodes[0];
        var room = Names.Room();
        var alice = await TestClient.ConnectAsync(node.Address, Names.User("alice"));
        await alice.Client.JoinAsync(room);
        var acknowledged = new List<ChatMessage> { await alice.Client.SendAsync(room, "before the outage") };

        await redis.KillAsync();
        await WaitForReadinessAsync(node, "Degraded");
        for (var i = 1; i <= 3; i++)
        {
            acknowledged.Add(await Bounded(alice.Client.SendAsync(room, $"during the outage {i}")));
        }

        await node.StopAsync();

        node.ExitCode.Should().Be(0, $"SIGTERM stops the node cleanly although Redis is gone:\n{node.Output}");
        (await alice.Notices.WaitForAsync(n => n.Kind == "restarting", CallBound)).Text.Should().NotBeEmpty();
        await alice.DisposeAsync();

        await redis.RestartAsync();
        var successor = await cluster.AddNodeAsync();
        await using var reader = await TestClient.ConnectAsync(successor.Address, Names.User("reader"));
        await reader.Client.JoinAsync(room);
        (await reader.Client.GetHistoryAsync(room, 0, 50)).Should().Equal(acknowledged, "everything acknowledged before the stop was stored");
    }

    private static async Task WaitForReadinessAsync(ChatServerProcess node, string expected)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(15));
        var last = string.Empty;
        while (last != expected)
        {
            last = (await Cluster.ReadinessAsync(node)).Body;
            try
            {
                await Task.Delay(100, timeout.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"Node {node.Port} did not report {expected} within 15 s (last: {last})");
            }
        }
    }

    private static Task<T> Bounded<T>(Task<T> call) => call.WaitAsync(CallBound);
}
