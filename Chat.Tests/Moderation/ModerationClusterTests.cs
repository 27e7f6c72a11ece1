using Chat.Protocol;
using Chat.Tests.Infrastructure;
using Chat.Tests.Scaleout;

namespace Chat.Tests.Moderation;

/// <summary>An operator on one node runs a room whose members are on another (Redis and PostgreSQL shared).</summary>
public sealed class ModerationClusterTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    [Fact]
    public async Task A_kick_on_node_a_takes_a_user_on_node_b_out_of_the_room()
    {
        var room = Names.Room();
        await using var owner = await RoomUser.AccountAsync(cluster.First, Names.User("owner"));
        await owner.JoinAsync(room);
        await using var troll = await RoomUser.AccountAsync(cluster.Second, Names.User("troll"));
        await troll.JoinAsync(room);
        await using var witness = await RoomUser.GuestAsync(cluster.Second, Names.User("witness"));
        await witness.JoinAsync(room);

        await owner.Call(nameof(IChatHub.Kick), room, troll.Nickname, "off you go");

        (await troll.Changes.WaitForAsync(c => c.Action == RoomActions.Kick)).Detail.Should().Be("off you go");
        (await witness.Changes.WaitForAsync(c => c.Action == RoomActions.Kick)).Target.Should().Be(troll.Nickname);
        await witness.Members.WaitForAsync(m => m.Changes.Any(c => c.Nickname == troll.Nickname && !c.Joined));
        (await troll.RefusalOf(user => user.SendAsync(room, "still here?"))).Should().Be($"You are not in room {room}. Join it first with /join {room}.");
    }

    [Fact]
    public async Task A_ban_on_node_a_removes_the_user_on_node_b_and_node_b_refuses_their_join()
    {
        var room = Names.Room();
        await using var owner = await RoomUser.AccountAsync(cluster.First, Names.User("owner"));
        await owner.JoinAsync(room);
        await using var troll = await RoomUser.AccountAsync(cluster.Second, Names.User("troll"));
        await troll.JoinAsync(room);

        await owner.Call(nameof(IChatHub.Ban), room, troll.Nickname);

        await troll.Changes.WaitForAsync(c => c.Action == RoomActions.Ban);
        await owner.Members.WaitForAsync(m => m.Changes.Any(c => c.Nickname == troll.Nickname && !c.Joined));
        (await troll.RefusalOf(user => user.JoinAsync(room))).Should().Be($"You are banned from #{room}.");
    }

    [Fact]
    public async Task Modes_and_topic_set_on_node_a_apply_to_joins_and_sends_on_node_b()
    {
        var room = Names.Room();
        await using var owner = await RoomUser.AccountAsync(cluster.First, Names.User("owner"));
        await owner.JoinAsync(room);
        await using var bob = await RoomUser.GuestAsync(cluster.Second, Names.User("bob"));
        await bob.JoinAsync(room);

        await owner.Call<RoomInfo>(nameof(IChatHub.SetTopic), room, "across the cluster");
        await owner.Call<RoomInfo>(nameof(IChatHub.SetMode), room, "+m", null);

        // The event reaches node B's member after node B has read the change back: it travels the same way.
        await bob.Changes.WaitForAsync(c => c.Action == RoomActions.Mode && c.Detail == "+m");
        (await bob.RefusalOf(user => user.SendAsync(room, "hello?"))).Should().Be($"#{room} is moderated: only operators and voiced users can speak.");

        await owner.Call<RoomInfo>(nameof(IChatHub.SetMode), room, "+k", "cluster-key");
        await bob.Changes.WaitForAsync(c => c.Action == RoomActions.Mode && c.Detail == "+k");
        await using var carol = await RoomUser.GuestAsync(cluster.Second, Names.User("carol"));
        (await carol.RefusalOf(user => user.JoinAsync(room))).Should().Be($"#{room} needs a key: /join {room} <key>.");
        (await carol.JoinAsync(room, "cluster-key")).Info!.Topic.Should().Be("across the cluster");
    }
}
