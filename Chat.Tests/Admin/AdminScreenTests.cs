using System.Net;
using Chat.Tests.Infrastructure;

namespace Chat.Tests.Admin;

/// <summary>The admin screen on one server: who may see it, what it shows, and that its actions do what they say.</summary>
public sealed class AdminScreenTests(AdminServerFixture admin, ChatServerFixture plain) : IClassFixture<AdminServerFixture>, IClassFixture<ChatServerFixture>
{
    private const string ForeignOrigin = "http://evil.example";

    [Theory]
    [InlineData("/admin")]
    [InlineData("/admin/")]
    [InlineData("/admin/admin.html")]
    [InlineData("/admin/api/overview")]
    public async Task A_server_without_Chat_Admin_Enabled_has_no_admin_screen(string path)
    {
        (await AdminHttp.GetAsync(plain.Address, path)).Status.Should().Be(HttpStatusCode.NotFound);
        (await AdminHttp.PostAsync(plain.Address, "/admin/api/rooms/general/close")).Status.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task The_page_is_served_under_admin_with_the_pages_CSP_and_never_by_the_chat_pages_static_files()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(10) };
        using var page = await http.GetAsync(new Uri(admin.Address, "/admin"));
        page.StatusCode.Should().Be(HttpStatusCode.OK);
        page.Content.Headers.ContentType!.MediaType.Should().Be("text/html");
        page.Headers.GetValues("Content-Security-Policy").Single().Should().Contain("script-src 'self'");

        (await AdminHttp.GetAsync(admin.Address, "/admin.html")).Status.Should().Be(HttpStatusCode.NotFound);
        (await AdminHttp.GetAsync(admin.Address, "/admin/../appsettings.json")).Status.Should().Be(HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Another_sites_page_can_neither_read_the_overview_nor_act()
    {
        var room = Names.Room("foreign");
        await using var alice = await TestClient.ConnectAsync(admin.Address, Names.User("alice"));
        await alice.Client.JoinAsync(room);

        (await AdminHttp.GetAsync(admin.Address, "/admin/api/overview", ForeignOrigin)).Status.Should().Be(HttpStatusCode.Forbidden);
        (await AdminHttp.PostAsync(admin.Address, $"/admin/api/rooms/{room}/close", ForeignOrigin)).Status.Should().Be(HttpStatusCode.Forbidden);
        (await AdminHttp.PostAsync(admin.Address, $"/admin/api/users/{alice.Nickname}/disconnect", ForeignOrigin)).Status.Should().Be(HttpStatusCode.Forbidden);

        // The page's own origin is let in.
        (await AdminHttp.GetAsync(admin.Address, "/admin/api/overview", $"http://127.0.0.1:{admin.Server.Port}")).Status.Should().Be(HttpStatusCode.OK);
        (await alice.Client.WhoAsync(room)).Users.Should().Contain(alice.Nickname, "nothing was closed");
    }

    [Fact]
    public async Task The_overview_shows_the_node_rooms_with_members_traffic_and_recent_activity_but_no_message_text()
    {
        var room = Names.Room("overview");
        var secret = $"the secret plan {Guid.NewGuid():N}";
        await using var alice = await TestClient.ConnectAsync(admin.Address, Names.User("alice"));
        await using var bob = await TestClient.ConnectAsync(admin.Address, Names.User("bob"));
        await alice.Client.JoinAsync(room);
        await bob.Client.JoinAsync(room);
        await alice.Client.SendAsync(room, secret);
        await Task.WhenAll(alice.Messages.WaitForAsync(message => message.Text == secret), bob.Messages.WaitForAsync(message => message.Text == secret));
        await using (var carol = await TestClient.ConnectAsync(admin.Address, Names.User("carol")))
        {
        }

        var overview = await AdminHttp.WaitForOverviewAsync(admin.Address, overview =>
            overview.GetProperty("recent").EnumerateArray().Any(entry => entry.GetProperty("kind").GetString() == "disconnect"));

        var nodes = overview.GetProperty("nodes").EnumerateArray().ToList();
        nodes.Should().ContainSingle().Which.GetProperty("id").GetString().Should().Be(overview.GetProperty("node").GetString());
        nodes[0].GetProperty("connections").GetInt32().Should().BeGreaterThanOrEqualTo(2);
        nodes[0].GetProperty("health").GetString().Should().Be("Healthy");

        var listed = overview.GetProperty("rooms").EnumerateArray().Single(item => item.GetProperty("name").GetString() == room);
        listed.GetProperty("userCount").GetInt32().Should().Be(2);
        AdminHttp.Strings(listed.GetProperty("users")).Should().BeEquivalentTo(alice.Nickname, bob.Nickname);

        var traffic = overview.GetProperty("traffic");
        traffic.GetProperty("received").EnumerateArray().Should().HaveCount(180);
        traffic.GetProperty("received").EnumerateArray().Sum(count => count.GetInt64()).Should().BeGreaterThanOrEqualTo(1);
        traffic.GetProperty("delivered").EnumerateArray().Sum(count => count.GetInt64()).Should().BeGreaterThanOrEqualTo(2, "the message was written to both members");

        var recent = overview.GetProperty("recent").EnumerateArray().ToList();
        recent.Should().Contain(entry => entry.GetProperty("kind").GetString() == "connect" && entry.GetProperty("nickname").GetString() == alice.Nickname);
        overview.GetProperty("health").GetProperty("checks").EnumerateArray().Should().Contain(check => check.GetProperty("name").GetString() == "store");

        (await AdminHttp.OverviewTextAsync(admin.Address)).Should().NotContain("secret plan");
    }

    [Fact]
    public async Task Closing_a_room_takes_every_member_out_with_a_notice_and_the_room_is_gone_from_the_list()
    {
        var room = Names.Room("closed");
        var other = Names.Room("open");
        await using var alice = await TestClient.ConnectAsync(admin.Address, Names.User("alice"));
        await using var bob = await TestClient.ConnectAsync(admin.Address, Names.User("bob"));
        await alice.Client.JoinAsync(room);
        await alice.Client.JoinAsync(other);
        await bob.Client.JoinAsync(room);

        var (status, body) = await AdminHttp.PostAsync(admin.Address, $"/admin/api/rooms/{room}/close");

        status.Should().Be(HttpStatusCode.OK, body);
        body.Should().Contain("\"connectionsHere\":2");
        (await alice.RoomClosures.WaitForAsync(closure => closure.Room == room)).Text.Should().Contain("closed");
        await bob.RoomClosures.WaitForAsync(closure => closure.Room == room);
        alice.Client.Rooms.Should().Equal(other);
        bob.Client.Rooms.Should().BeEmpty();
        (await bob.Client.ListRoomsAsync()).Select(summary => summary.Name).Should().NotContain(room).And.Contain(other);
        (await alice.Client.MeAsync()).Rooms.Should().Equal(other);
    }

    [Fact]
    public async Task Disconnecting_a_user_closes_its_connections_after_a_notice_and_its_client_reconnects()
    {
        var room = Names.Room("kick");
        await using var alice = await TestClient.ConnectAsync(admin.Address, Names.User("alice"));
        await using var bob = await TestClient.ConnectAsync(admin.Address, Names.User("bob"));
        await bob.Client.JoinAsync(room);

        var (status, body) = await AdminHttp.PostAsync(admin.Address, $"/admin/api/users/{alice.Nickname.ToUpperInvariant()}/disconnect");

        status.Should().Be(HttpStatusCode.OK, body);
        (await alice.Notices.WaitForAsync(notice => notice.Kind == "disconnected")).Text.Should().Contain("administrator");
        await alice.Reconnects.WaitForCountAsync(1);
        await alice.Recoveries.WaitForCountAsync(1);
        bob.Reconnects.Items.Should().BeEmpty();
        await AdminHttp.WaitForOverviewAsync(admin.Address, overview => overview.GetProperty("recent").EnumerateArray().Any(entry =>
            entry.GetProperty("kind").GetString() == "disconnect" && entry.GetProperty("nickname").GetString() == alice.Nickname));
        (await AdminHttp.PostAsync(admin.Address, $"/admin/api/users/{Names.User("nobody")}/disconnect")).Status.Should().Be(HttpStatusCode.NotFound);
    }
}
