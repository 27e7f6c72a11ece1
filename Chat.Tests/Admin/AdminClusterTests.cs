using System.Net;
using Chat.Tests.Infrastructure;

namespace Chat.Tests.Admin;

/// <summary>The admin screen of one node sees the whole cluster, and its actions reach users on the other node.</summary>
public sealed class AdminClusterTests(AdminClusterFixture fixture) : IClassFixture<AdminClusterFixture>
{
    [Fact]
    public async Task Each_nodes_screen_lists_both_nodes_and_rooms_with_members_on_either()
    {
        var room = Names.Room("cluster");
        await using var alice = await TestClient.ConnectAsync(fixture.First, Names.User("alice"));
        await using var bob = await TestClient.ConnectAsync(fixture.Second, Names.User("bob"));
        await alice.Client.JoinAsync(room);
        await bob.Client.JoinAsync(room);

        foreach (var node in new[] { fixture.First, fixture.Second })
        {
            var overview = await AdminHttp.WaitForOverviewAsync(node, overview => overview.GetProperty("nodes").GetArrayLength() == 2);
            var listed = overview.GetProperty("rooms").EnumerateArray().Single(item => item.GetProperty("name").GetString() == room);
            AdminHttp.Strings(listed.GetProperty("users")).Should().BeEquivalentTo(alice.Nickname, bob.Nickname);
            overview.GetProperty("health").GetProperty("checks").EnumerateArray()
                .Select(check => check.GetProperty("name").GetString()).Should().Contain(["store", "redis"]);
        }
    }

    [Fact]
    public async Task Closing_a_room_on_one_node_takes_out_its_members_on_the_other()
    {
        var room = Names.Room("closed");
        await using var alice = await TestClient.ConnectAsync(fixture.First, Names.User("alice"));
        await using var bob = await TestClient.ConnectAsync(fixture.Second, Names.User("bob"));
        await alice.Client.JoinAsync(room);
        await bob.Client.JoinAsync(room);

        var (status, body) = await AdminHttp.PostAsync(fixture.First, $"/admin/api/rooms/{room}/close");

        status.Should().Be(HttpStatusCode.OK, body);
        body.Should().Contain("\"otherNodesTold\":true");
        await alice.RoomClosures.WaitForAsync(closure => closure.Room == room);
        await bob.RoomClosures.WaitForAsync(closure => closure.Room == room);
        bob.Client.Rooms.Should().BeEmpty();
        (await bob.Client.MeAsync()).Rooms.Should().BeEmpty("node B took its own member out");
        (await alice.Client.ListRoomsAsync()).Select(summary => summary.Name).Should().NotContain(room);
    }

    [Fact]
    public async Task Disconnecting_a_user_on_one_node_closes_its_connection_on_the_other()
    {
        await using var alice = await TestClient.ConnectAsync(fixture.First, Names.User("alice"));
        await using var bob = await TestClient.ConnectAsync(fixture.Second, Names.User("bob"));

        var (status, body) = await AdminHttp.PostAsync(fixture.First, $"/admin/api/users/{bob.Nickname}/disconnect");

        status.Should().Be(HttpStatusCode.OK, body);
        body.Should().Contain("\"connectionsHere\":0");
        await bob.Notices.WaitForAsync(notice => notice.Kind == "disconnected");
        await bob.Reconnects.WaitForCountAsync(1);
        alice.Reconnects.Items.Should().BeEmpty();
        await AdminHttp.WaitForOverviewAsync(fixture.Second, overview => overview.GetProperty("recent").EnumerateArray().Any(entry =>
            entry.GetProperty("kind").GetString() == "disconnect" && entry.GetProperty("nickname").GetString() == bob.Nickname));
    }
}
