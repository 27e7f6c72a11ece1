using System.Diagnostics;
using Chat.Tests.Infrastructure;

namespace Chat.Tests.Scaleout;

/// <summary>A node killed with SIGKILL says no goodbye: the others notice by its missing heartbeat.</summary>
public sealed class NodeFailureTests(RedisAndPostgresFixture services) : IClassFixture<RedisAndPostgresFixture>
{
    private static readonly TimeSpan PresenceDeadline = TimeSpan.FromSeconds(15);

    [Fact]
    public async Task When_a_node_is_killed_its_users_leave_every_list_within_15_seconds_and_clients_that_reconnect_elsewhere_lose_nothing()
    {
        await using var cluster = await Cluster.StartAsync(2, services.Redis, services.Postgres);
        var (doomed, survivor) = (cluster.Nodes[0], cluster.Nodes[1]);
        await using var balancer = new TcpBalancer([doomed.Port, survivor.Port]);
        var room = Names.Room();
        var key = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));

        await using var watcher = await TestClient.ConnectAsync(survivor.Address, Names.User("watcher"));
        await using var carol = await TestClient.ConnectAsync(doomed.Address, Names.User("carol"));
        await using var alice = await TestClient.ConnectAsync(balancer.Address, Names.User("alice"));
        await using var danaHere = await TestClient.ConnectAsync(doomed.Address, Names.User("dana"), key);
        await using var danaThere = await TestClient.ConnectAsync(survivor.Address, danaHere.Nickname, key);
        foreach (var member in new[] { watcher, carol, alice, danaHere, danaThere })
        {
            await member.Client.JoinAsync(room);
        }

        for (var i = 1; i <= 3; i++)
        {
            await alice.Client.SendAsync(room, $"before {i}");
        }

        await watcher.Messages.WaitForCountAsync(3);
        var inFlight = alice.Client.SendAsync(room, "in flight");

        await doomed.KillAsync();
        var sinceKill = Stopwatch.StartNew();

        // While the balancer moves alice to the survivor, the room goes on.
        for (var i = 1; i <= 3; i++)
        {
            await watcher.Client.SendAsync(room, $"while alice moves {i}");
        }

        await alice.Recoveries.WaitForCountAsync(1, TimeSpan.FromSeconds(30));
        await inFlight.WaitAsync(TimeSpan.FromSeconds(30));
        var after = await alice.Client.SendAsync(room, "after the move");

        // Carol was only on the dead node: she leaves, once, in time; dana and alice live on elsewhere.
        var carolLeft = await watcher.Leaves.WaitForAsync(p => p.Nickname == carol.Nickname, PresenceDeadline);
        sinceKill.Elapsed.Should().BeLessThan(PresenceDeadline);
        carolLeft.Room.Should().Be(room);
        var who = await watcher.Client.WhoAsync(room);
        who.Users.Should().BeEquivalentTo(watcher.Nickname, alice.Nickname, danaHere.Nickname);
        (await watcher.Client.ListRoomsAsync()).Should().ContainSingle(r => r.Name == room).Which.UserCount.Should().Be(3);
        (await alice.Client.WhoAsync(room)).Users.Should().NotContain(carol.Nickname);

        var barrier = await watcher.Client.SendAsync(room, "barrier");
        await alice.Messages.WaitForAsync(m => m.Id == barrier.Id);
        await watcher.Messages.WaitForAsync(m => m.Id == barrier.Id);
        watcher.Leaves.Items.Should().ContainSingle("only carol left, and she was announced once");
        watcher.Joins.Items.Where(p => p.Nickname == alice.Nickname || p.Nickname == danaHere.Nickname).Should().HaveCount(2, "alice and dana joined once, before the kill");

        var history = await watcher.Client.GetHistoryAsync(room, 0, 50);
        history.Select(m => m.Seq).Should().Equal(Enumerable.Range(1, history.Count).Select(i => (long)i));
        history.Count(m => m.Text == "in flight").Should().Be(1, "the send cut off by the kill was stored once");
        foreach (var member in new[] { alice, watcher, danaThere })
        {
            member.Messages.Items.Should().Equal(history, $"{member.Nickname} got every message once, in order");
        }

        history.Select(m => m.Id).Should().Contain(after.Id);
    }
}
