using System.Text.Json;
using Chat.Protocol;
using Chat.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR.Client;

namespace Chat.Tests.Rooms;

public abstract class PresenceTests(ChatServerFixture fixture)
{
    [Fact]
    public async Task Others_in_the_room_are_told_when_a_user_joins_and_leaves()
    {
        var room = Names.Room();
        await using var alice = await TestClient.ConnectAsync(fixture.Address, Names.User("alice"));
        await using var bob = await TestClient.ConnectAsync(fixture.Address, Names.User("bob"));
        await alice.Client.JoinAsync(room);

        await bob.Client.JoinAsync(room);
        (await alice.Joins.WaitForAsync(p => p.Room == room)).Should().Be(new RoomPresence(room, bob.Nickname));

        await bob.Client.LeaveAsync(room);
        (await alice.Leaves.WaitForAsync(p => p.Room == room)).Should().Be(new RoomPresence(room, bob.Nickname));
        bob.Joins.Items.Should().BeEmpty("nobody is told about their own join");
    }

    [Fact]
    public async Task Joining_a_room_twice_is_harmless()
    {
        var room = Names.Room();
        await using var alice = await TestClient.ConnectAsync(fixture.Address, Names.User("alice"));
        await using var bob = await TestClient.ConnectAsync(fixture.Address, Names.User("bob"));
        await alice.Client.JoinAsync(room);
        await bob.Client.JoinAsync(room);

        var again = await bob.Client.JoinAsync("#" + room.ToUpperInvariant());

        again.Room.Should().Be(room, "room names are case-insensitive and a leading # is dropped");
        again.Members.Should().BeEquivalentTo(alice.Nickname, bob.Nickname);
        var barrier = await bob.Client.SendAsync(room, "barrier");
        await alice.Messages.WaitForAsync(m => m.Id == barrier.Id);
        alice.Joins.Items.Should().ContainSingle();
    }

    [Fact]
    public async Task List_rooms_my_rooms_and_who_show_rooms_with_their_members()
    {
        var (lounge, tech) = (Names.Room("lounge"), Names.Room("tech"));
        await using var alice = await TestClient.ConnectAsync(fixture.Address, Names.User("alice"));
        await using var bob = await TestClient.ConnectAsync(fixture.Address, Names.User("bob"));
        await alice.Client.JoinAsync(lounge);
        await alice.Client.JoinAsync(tech);
        await bob.Client.JoinAsync(tech);

        var all = await bob.Client.ListRoomsAsync();
        all.Should().ContainEquivalentOf(new RoomSummary(lounge, 1, [alice.Nickname]));
        all.Should().ContainEquivalentOf(new RoomSummary(tech, 2, [alice.Nickname, bob.Nickname]));
        all.Select(r => r.Name).Should().BeInAscendingOrder(StringComparer.Ordinal);

        (await alice.Client.MyRoomsAsync()).Select(r => r.Name).Should().Equal(new[] { lounge, tech }.Order(StringComparer.Ordinal));
        (await bob.Client.MyRoomsAsync()).Should().ContainSingle().Which.Name.Should().Be(tech);

        var who = await bob.Client.WhoAsync(tech);
        who.UserCount.Should().Be(2);
        who.Users.Should().BeEquivalentTo(alice.Nickname, bob.Nickname);
        (await bob.Client.WhoAsync(Names.Room("empty"))).UserCount.Should().Be(0);
    }

    [Fact]
    public async Task Disconnecting_leaves_every_room_and_an_empty_room_disappears_from_the_list()
    {
        var (shared, solo) = (Names.Room("shared"), Names.Room("solo"));
        await using var alice = await TestClient.ConnectAsync(fixture.Address, Names.User("alice"));
        var bob = await TestClient.ConnectAsync(fixture.Address, Names.User("bob"));
        await alice.Client.JoinAsync(shared);
        await bob.Client.JoinAsync(shared);
        await bob.Client.JoinAsync(solo);

        await bob.DisposeAsync();

        (await alice.Leaves.WaitForAsync(p => p.Room == shared)).Nickname.Should().Be(bob.Nickname);
        var rooms = await alice.Client.ListRoomsAsync();
        rooms.Select(r => r.Name).Should().NotContain(solo);
        rooms.Should().ContainEquivalentOf(new RoomSummary(shared, 1, [alice.Nickname]));
    }

    [Fact]
    public async Task Leave_all_leaves_every_room_of_the_connection()
    {
        var (first, second) = (Names.Room(), Names.Room());
        await using var alice = await TestClient.ConnectAsync(fixture.Address, Names.User("alice"));
        await using var bob = await TestClient.ConnectAsync(fixture.Address, Names.User("bob"));
        await alice.Client.JoinAsync(first);
        await alice.Client.JoinAsync(second);
        await bob.Client.JoinAsync(first);

        var left = await alice.Client.LeaveAllAsync();

        left.Should().BeEquivalentTo(first, second);
        alice.Client.Rooms.Should().BeEmpty();
        (await alice.Client.MyRoomsAsync()).Should().BeEmpty();
        await bob.Leaves.WaitForAsync(p => p.Room == first && p.Nickname == alice.Nickname);
        (await bob.Client.ListRoomsAsync()).Select(r => r.Name).Should().NotContain(second);
    }

    [Fact]
    public async Task Two_connections_of_one_user_join_once_and_leave_once()
    {
        var room = Names.Room();
        var key = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
        var nickname = Names.User("tabs");
        await using var watcher = await TestClient.ConnectAsync(fixture.Address, Names.User("watcher"));
        await watcher.Client.JoinAsync(room);
        var firstTab = await TestClient.ConnectAsync(fixture.Address, nickname, key);
        var secondTab = await TestClient.ConnectAsync(fixture.Address, nickname, key);
        secondTab.Nickname.Should().Be(nickname, "the same key is the same user, not a clash");

        await firstTab.Client.JoinAsync(room);
        var snapshot = await secondTab.Client.JoinAsync(room);
        snapshot.Members.Should().BeEquivalentTo(watcher.Nickname, nickname);

        await firstTab.DisposeAsync();
        var stillHere = await watcher.Client.WhoAsync(room);
        stillHere.Users.Should().Contain(nickname);

        await secondTab.DisposeAsync();
        await watcher.Leaves.WaitForAsync(p => p.Nickname == nickname);
        watcher.Joins.Items.Where(p => p.Nickname == nickname).Should().ContainSingle();
        watcher.Leaves.Items.Where(p => p.Nickname == nickname).Should().ContainSingle();
    }

    [Fact]
    public async Task Lobby_watchers_get_the_room_list_when_rooms_appear_and_change()
    {
        var room = Names.Room("lobby");
        await using var watcher = await TestClient.ConnectAsync(fixture.Address, Names.User("watcher"));
        await using var alice = await TestClient.ConnectAsync(fixture.Address, Names.User("alice"));
        await using var bob = await TestClient.ConnectAsync(fixture.Address, Names.User("bob"));
        var initial = await watcher.Client.WatchLobbyAsync();
        initial.Select(r => r.Name).Should().NotContain(room);

        await alice.Client.JoinAsync(room);
        await watcher.Lobby.WaitForAsync(rooms => rooms.Any(r => r.Name == room && r.UserCount == 1));
        await bob.Client.JoinAsync(room);
        await watcher.Lobby.WaitForAsync(rooms => rooms.Any(r => r.Name == room && r.UserCount == 2));
        await alice.Client.LeaveAsync(room);
        await bob.Client.LeaveAsync(room);
        await watcher.Lobby.WaitForAsync(rooms => rooms.All(r => r.Name != room) && watcher.Lobby.Items.Count > 2);
    }

    [Fact]
    public async Task Lobby_updates_carry_names_and_counts_but_no_member_lists()
    {
        // Every page watches the lobby, and an update follows every change anywhere: with member
        // lists it would grow with the number of users and reach everyone several times a second.
        var room = Names.Room("lobby");
        await using var watcher = await RawHub.ConnectAsync(fixture.Address, Names.User("watcher"));
        var updates = new EventRecorder<JsonElement>();
        watcher.On<JsonElement>(nameof(IChatClient.RoomsUpdated), updates.Add);
        var initial = await watcher.CallAsync<JsonElement>(nameof(IChatHub.WatchLobby));
        await using var alice = await TestClient.ConnectAsync(fixture.Address, Names.User("alice"));

        await alice.Client.JoinAsync(room);

        var update = await updates.WaitForAsync(rooms => rooms.EnumerateArray().Any(r => r.GetProperty("name").GetString() == room));
        var entry = update.EnumerateArray().Single(r => r.GetProperty("name").GetString() == room);
        entry.EnumerateObject().Select(property => property.Name).Should().BeEquivalentTo("name", "userCount", "topic");
        entry.GetProperty("userCount").GetInt32().Should().Be(1);
        initial.ValueKind.Should().Be(JsonValueKind.Array);
    }

    /// <summary>On the server's own WebSocket framing (the default).</summary>
    public sealed class OnDirectPath(ChatServerFixture fixture) : PresenceTests(fixture), IClassFixture<ChatServerFixture>;

    /// <summary>Through ASP.NET Core's HTTP stack.</summary>
    public sealed class OnHttpPath(HttpWebSocketServerFixture fixture) : PresenceTests(fixture), IClassFixture<HttpWebSocketServerFixture>;
}
