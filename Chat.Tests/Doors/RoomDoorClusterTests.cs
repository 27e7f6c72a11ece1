using Chat.Tests.Infrastructure;
using Chat.Tests.Scaleout;

namespace Chat.Tests.Doors;

/// <summary>Room doors in a cluster of two nodes with Redis and PostgreSQL: one room, one history and one lobby across nodes.</summary>
public sealed class RoomDoorClusterTests(ClusterFixture cluster) : IClassFixture<ClusterFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task A_door_user_on_one_node_and_a_signalr_user_on_the_other_chat_in_order()
    {
        var room = Names.Room("span");
        var dora = Names.User("dora");
        await using var bob = await TestClient.ConnectAsync(cluster.Second, Names.User("bob"));
        await bob.Client.JoinAsync(room);
        await bob.Client.SendAsync(room, "before 1");
        await bob.Client.SendAsync(room, "before 2");

        var python = RoomDoorsClient.RunAsync("json-chat", cluster.First, room, dora, Names.User("dorothy"));
        await bob.Joins.WaitForAsync(p => p.Room == room && p.Nickname == dora);
        await bob.Client.SendAsync(room, "from signalr");
        await bob.Messages.WaitForAsync(m => m.Text == "from python 2");
        await bob.Renames.WaitForAsync(r => r.OldNickname == dora);
        await bob.Client.SendAsync(room, "bye");
        var report = await python.WaitAsync(Timeout);

        RoomDoorsClient.MessagesShouldBe(report, "before 1", "before 2", "from signalr", "from python 1", "from python 2", "bye");
        bob.Messages.Items.Where(m => m.Room == room).Select(m => m.Text).Should().ContainInOrder("from signalr", "from python 1", "from python 2");
    }

    [Fact]
    public async Task A_text_door_user_on_one_node_and_a_signalr_user_on_the_other_share_room_and_history()
    {
        var room = Names.Room("span");
        var tex = Names.User("tex");
        await using var bob = await TestClient.ConnectAsync(cluster.Second, Names.User("bob"));
        await bob.Client.JoinAsync(room);

        // The text door user is on node A, Bob on node B; what the door user sent is stored in the one history.
        var text = RoomDoorsClient.RunAsync("text-chat", cluster.First, room, tex);
        await bob.Joins.WaitForAsync(p => p.Room == room && p.Nickname == tex);
        await bob.Client.SendAsync(room, "from signalr");
        var report = await text.WaitAsync(Timeout);

        report.GetProperty("seen").EnumerateArray().Select(line => line.GetString()).Should().Contain($"{bob.Nickname} :: from signalr");
        var history = await bob.ReadWholeHistoryAsync(room);
        history.Where(m => m.Sender == tex).Select(m => m.Text).Should().Equal("from python 1", "from python 2");
    }

    [Fact]
    public async Task The_lobby_on_one_node_sees_a_room_of_the_other_node_with_its_door_user()
    {
        var room = Names.Room("span");
        var dora = Names.User("dora");
        await using var alice = await TestClient.ConnectAsync(cluster.First, Names.User("alice"));
        await alice.Client.JoinAsync(room);

        var report = await RoomDoorsClient.RunAsync("lobby", cluster.Second, room, dora, $"2,{RoomDoorsClient.WebSocketBase(cluster.First)}").WaitAsync(Timeout);

        report.GetProperty("update").GetProperty("rooms").GetProperty(room).GetProperty("usernames")
            .EnumerateArray().Select(u => u.GetString()).Should().BeEquivalentTo(alice.Nickname, dora);
    }
}
