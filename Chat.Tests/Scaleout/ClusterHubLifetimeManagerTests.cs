using System.Diagnostics;
using StackExchange.Redis;

namespace Chat.Tests.Scaleout;

/// <summary>The backplane on its own (the official manager and the cluster layer): nodes in this process sharing one real Redis.</summary>
public sealed class ClusterHubLifetimeManagerTests(RedisFixture fixture) : IClassFixture<RedisFixture>
{
    private static readonly object?[] Hello = ["hello"];

    /// <summary>How long a call or a same-node delivery may take while Redis is away.</summary>
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(2);

    [Fact]
    public async Task Group_sends_reach_members_on_both_nodes_and_a_node_subscribes_to_a_group_only_while_it_has_members_there()
    {
        var prefix = RedisFixture.NewPrefix();
        await using var first = await BackplaneNode.StartAsync(fixture.Redis, prefix);
        await using var second = await BackplaneNode.StartAsync(fixture.Redis, prefix);
        var here = await first.ConnectAsync();
        var there = await second.ConnectAsync();
        var outsider = await second.ConnectAsync();
        var channel = $"{prefix}:{typeof(BackplaneNode.BackplaneHub).FullName}:group:g";

        (await SubscribersAsync(channel)).Should().Be(0);
        await first.Manager.AddToGroupAsync(here.Id, "g");
        await second.Manager.AddToGroupAsync(there.Id, "g");
        (await SubscribersAsync(channel)).Should().Be(2, "each node with a member subscribes once");

        await first.Manager.SendGroupAsync("g", "Say", Hello);
        await here.Received.WaitForAsync(m => m == "Say:hello");
        await there.Received.WaitForAsync(m => m == "Say:hello");

        await second.Manager.SendGroupExceptAsync("g", "Say", ["not for the sender"], [there.Id]);
        await here.Received.WaitForAsync(m => m == "Say:not for the sender");

        await second.Manager.RemoveFromGroupAsync(there.Id, "g");
        (await SubscribersAsync(channel)).Should().Be(1, "the second node has no member left");
        await first.Manager.RemoveFromGroupAsync(here.Id, "g");
        (await SubscribersAsync(channel)).Should().Be(0);

        await second.Manager.SendConnectionAsync(there.Id, "Say", ["barrier"]);
        await there.Received.WaitForAsync(m => m == "Say:barrier");
        there.Received.Items.Count(m => m == "Say:not for the sender").Should().Be(0);
        outsider.Received.Items.Should().BeEmpty();
    }

    [Fact]
    public async Task A_connection_on_the_other_node_can_be_added_to_and_removed_from_a_group()
    {
        var prefix = RedisFixture.NewPrefix();
        await using var first = await BackplaneNode.StartAsync(fixture.Redis, prefix);
        await using var second = await BackplaneNode.StartAsync(fixture.Redis, prefix);
        var remote = await second.ConnectAsync();

        await first.Manager.AddToGroupAsync(remote.Id, "remote-group");
        await first.Manager.SendGroupAsync("remote-group", "Say", ["added from afar"]);
        await remote.Received.WaitForAsync(m => m == "Say:added from afar");

        await first.Manager.RemoveFromGroupAsync(remote.Id, "remote-group");
        await first.Manager.SendGroupAsync("remote-group", "Say", ["after removal"]);
        await first.Manager.SendConnectionAsync(remote.Id, "Say", ["barrier"]);
        await remote.Received.WaitForAsync(m => m == "Say:barrier");
        remote.Received.Items.Should().NotContain("Say:after removal");
    }

    [Fact]
    public async Task Sends_to_everyone_to_a_user_and_to_listed_connections_reach_both_nodes()
    {
        var prefix = RedisFixture.NewPrefix();
        await using var first = await BackplaneNode.StartAsync(fixture.Redis, prefix);
        await using var second = await BackplaneNode.StartAsync(fixture.Redis, prefix);
        var tabHere = await first.ConnectAsync("u:alice");
        var tabThere = await second.ConnectAsync("u:alice");
        var bob = await second.ConnectAsync("u:bob");

        await first.Manager.SendUserAsync("u:alice", "Say", ["to alice"]);
        await first.Manager.SendAllAsync("Say", ["to all"]);
        await first.Manager.SendConnectionsAsync([tabHere.Id, bob.Id], "Say", ["listed"]);

        foreach (var tab in new[] { tabHere, tabThere })
        {
            await tab.Received.WaitForAsync(m => m == "Say:to alice");
        }

        foreach (var connection in new[] { tabHere, tabThere, bob })
        {
            await connection.Received.WaitForAsync(m => m == "Say:to all");
        }

        await tabHere.Received.WaitForAsync(m => m == "Say:listed");
        await bob.Received.WaitForAsync(m => m == "Say:listed");
        bob.Received.Items.Should().NotContain("Say:to alice");
        tabThere.Received.Items.Should().NotContain("Say:listed");
    }

    [Fact]
    public async Task A_message_is_serialized_once_however_many_connections_on_however_many_nodes_receive_it()
    {
        var prefix = RedisFixture.NewPrefix();
        await using var first = await BackplaneNode.StartAsync(fixture.Redis, prefix);
        await using var second = await BackplaneNode.StartAsync(fixture.Redis, prefix);
        var members = new List<BackplaneNode.FakeConnection>();
        foreach (var node in new[] { first, first, first, second, second })
        {
            var member = await node.ConnectAsync();
            await node.Manager.AddToGroupAsync(member.Id, "crowd");
            members.Add(member);
        }

        await first.Manager.SendGroupAsync("crowd", "Say", ["once"]);
        foreach (var member in members)
        {
            await member.Received.WaitForAsync(m => m == "Say:once");
        }

        first.Protocol.Serializations.Should().Be(1, "one serialization serves the local writes and the publish");
        second.Protocol.Serializations.Should().Be(0, "the receiving node writes the bytes it was sent");
    }

    [Fact]
    public async Task Delivery_to_connections_on_the_same_node_does_not_wait_for_redis()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var node = await BackplaneNode.StartAsync(redis, RedisFixture.NewPrefix());
        var member = await node.ConnectAsync("u:solo");
        await node.Manager.AddToGroupAsync(member.Id, "local");

        redis.Freeze();
        try
        {
            var clock = Stopwatch.StartNew();
            await node.Manager.SendGroupAsync("local", "Say", ["while redis hangs"]).WaitAsync(TimeSpan.FromSeconds(1));
            await member.Received.WaitForAsync(m => m == "Say:while redis hangs", TimeSpan.FromSeconds(1));
            clock.Elapsed.Should().BeLessThan(TimeSpan.FromSeconds(1), "the local write never goes through Redis");
        }
        finally
        {
            redis.Thaw();
        }
    }

    [Fact]
    public async Task While_redis_is_down_a_new_connection_is_accepted_and_group_and_user_sends_reach_it_from_its_own_node()
    {
        await using var redis = await RedisServer.StartAsync();
        await using var node = await BackplaneNode.StartAsync(redis, RedisFixture.NewPrefix());
        var before = await node.ConnectAsync("u:before");
        await node.Manager.AddToGroupAsync(before.Id, "room");

        await redis.KillAsync();
        await node.WaitUntilAsync(() => !node.Redis.IsAvailable, "Redis is seen as down");

        var during = await node.ConnectAsync("u:during").WaitAsync(Bound);
        await node.Manager.AddToGroupAsync(during.Id, "room").WaitAsync(Bound);
        await node.Manager.SendGroupAsync("room", "Say", ["to the room"]).WaitAsync(Bound);
        await node.Manager.SendUserAsync("u:during", "Say", ["to the user"]).WaitAsync(Bound);
        await node.Manager.SendAllAsync("Say", ["to all"]).WaitAsync(Bound);

        foreach (var member in new[] { before, during })
        {
            await member.Received.WaitForAsync(m => m == "Say:to the room", Bound);
            await member.Received.WaitForAsync(m => m == "Say:to all", Bound);
        }

        await during.Received.WaitForAsync(m => m == "Say:to the user", Bound);
    }

    [Fact]
    public async Task After_redis_returns_each_node_registers_its_connections_and_groups_again_and_every_send_crosses_once()
    {
        await using var redis = await RedisServer.StartAsync();
        var prefix = RedisFixture.NewPrefix();
        await using var first = await BackplaneNode.StartAsync(redis, prefix);
        await using var second = await BackplaneNode.StartAsync(redis, prefix);
        var here = await first.ConnectAsync("u:here");
        var there = await second.ConnectAsync("u:there");
        await first.Manager.AddToGroupAsync(here.Id, "room");
        await second.Manager.AddToGroupAsync(there.Id, "room");

        await redis.KillAsync();
        await first.WaitUntilAsync(() => !first.Redis.IsAvailable, "Redis is seen as down");
        var late = await first.ConnectAsync("u:late").WaitAsync(Bound);
        await first.Manager.AddToGroupAsync(late.Id, "room").WaitAsync(Bound);

        await redis.RestartAsync();
        foreach (var node in new[] { first, second })
        {
            await node.WaitForBackplaneAsync(2, TimeSpan.FromSeconds(15));
            await node.WaitUntilAsync(() => node.Manager.IsRegistered, "the node is registered with its new backplane");
        }

        await second.Manager.SendGroupAsync("room", "Say", ["from the second node"]);
        await first.Manager.SendGroupAsync("room", "Say", ["from the first node"]);
        await first.Manager.SendUserAsync("u:there", "Say", ["to the user there"]);
        await second.Manager.SendUserAsync("u:late", "Say", ["to the late user"]);
        await second.Manager.SendAllAsync("Say", ["to all"]);
        foreach (var member in new[] { here, there, late })
        {
            await member.Received.WaitForAsync(m => m == "Say:from the second node");
            await member.Received.WaitForAsync(m => m == "Say:from the first node");
            await member.Received.WaitForAsync(m => m == "Say:to all");
        }

        await there.Received.WaitForAsync(m => m == "Say:to the user there");
        await late.Received.WaitForAsync(m => m == "Say:to the late user");

        // A barrier through Redis to each member: anything sent twice would have arrived by now.
        await first.Manager.SendAllAsync("Say", ["barrier"]);
        foreach (var member in new[] { here, there, late })
        {
            await member.Received.WaitForAsync(m => m == "Say:barrier");
            member.Received.Items.Should().OnlyHaveUniqueItems("the direct write and the official manager's echo never both reach a connection");
        }
    }

    private async Task<long> SubscribersAsync(string channel)
    {
        using var redis = await ConnectionMultiplexer.ConnectAsync(fixture.Redis.Configuration);
        return await redis.GetServer(redis.GetEndPoints()[0]).SubscriptionSubscriberCountAsync(RedisChannel.Literal(channel));
    }
}
