using System.Net;
using Chat.Client;
using Chat.Protocol;
using Chat.Tests.Infrastructure;

namespace Chat.Tests.Scaleout;

/// <summary>Two nodes behave as one server: the same rooms, lists, nicknames, presence and history.</summary>
public sealed class ClusterTests(ClusterFixture fixture) : IClassFixture<ClusterFixture>
{
    [Fact]
    public async Task Users_on_different_nodes_chat_in_one_room_with_one_gapless_seq()
    {
        var room = Names.Room();
        await using var alice = await TestClient.ConnectAsync(fixture.First, Names.User("alice"));
        await using var bob = await TestClient.ConnectAsync(fixture.Second, Names.User("bob"));
        await alice.Client.JoinAsync(room);
        await bob.Client.JoinAsync(room);
        (await alice.Joins.WaitForAsync(p => p.Room == room)).Nickname.Should().Be(bob.Nickname);

        await Task.WhenAll(
            Task.Run(async () =>
            {
                for (var i = 1; i <= 8; i++)
                {
                    await alice.Client.SendAsync(room, $"alice {i}");
                }
            }),
            Task.Run(async () =>
            {
                for (var i = 1; i <= 8; i++)
                {
                    await bob.Client.SendAsync(room, $"bob {i}");
                }
            }));

        foreach (var member in new[] { alice, bob })
        {
            var received = await member.Messages.WaitForCountAsync(16);
            received.Select(m => m.Seq).Should().Equal(Enumerable.Range(1, 16).Select(i => (long)i), "every member gets each seq once, in order");
            received.Select(m => m.Text).Should().Contain(["alice 8", "bob 8"]);
        }

        alice.Messages.Items.Should().Equal(bob.Messages.Items, "both nodes deliver the same messages");
        (await bob.Client.GetHistoryAsync(room, 0, 50)).Should().Equal(alice.Messages.Items);
    }

    [Fact]
    public async Task List_rooms_and_who_agree_on_every_node()
    {
        var (shared, lonely) = (Names.Room("shared"), Names.Room("lonely"));
        await using var alice = await TestClient.ConnectAsync(fixture.First, Names.User("alice"));
        await using var bob = await TestClient.ConnectAsync(fixture.Second, Names.User("bob"));
        await alice.Client.JoinAsync(shared);
        await alice.Client.JoinAsync(lonely);
        var snapshot = await bob.Client.JoinAsync(shared);

        snapshot.Members.Should().BeEquivalentTo(alice.Nickname, bob.Nickname);
        foreach (var viewer in new[] { alice, bob })
        {
            var rooms = await viewer.Client.ListRoomsAsync();
            rooms.Should().ContainEquivalentOf(new RoomSummary(shared, 2, [.. new[] { alice.Nickname, bob.Nickname }.Order(StringComparer.OrdinalIgnoreCase)]));
            rooms.Should().ContainEquivalentOf(new RoomSummary(lonely, 1, [alice.Nickname]));
            (await viewer.Client.WhoAsync(shared)).Users.Should().BeEquivalentTo(alice.Nickname, bob.Nickname);
        }

        await alice.Client.LeaveAsync(lonely);
        (await bob.Client.ListRoomsAsync()).Select(r => r.Name).Should().NotContain(lonely, "the last user left it, on another node");
        (await bob.Client.WhoAsync(lonely)).UserCount.Should().Be(0);
    }

    [Fact]
    public async Task A_nickname_in_use_on_one_node_is_refused_on_the_other_and_free_again_once_its_user_leaves()
    {
        var nickname = Names.User("unique");
        var holder = await TestClient.ConnectAsync(fixture.First, nickname);

        var clash = TestClient.Create(fixture.Second, nickname.ToUpperInvariant());
        var refused = await FluentActions.Awaiting(() => clash.Client.ConnectAsync()).Should().ThrowAsync<ChatConnectionException>();
        refused.Which.Failure.Should().Be(ConnectFailure.Refused);
        refused.Which.Message.Should().Contain("already in use");
        await clash.DisposeAsync();

        await using var other = await TestClient.ConnectAsync(fixture.Second, Names.User("other"));
        await FluentActions.Awaiting(() => other.Client.SetNicknameAsync(nickname)).Should().ThrowAsync<ChatException>().WithMessage("*already in use*");

        // A client's disconnect returns once its close is sent; the holder's node releases the name when
        // it sees the connection end, and then tells the holder's rooms, on every node.
        var room = Names.Room();
        await holder.Client.JoinAsync(room);
        await other.Client.JoinAsync(room);
        await holder.DisposeAsync();
        await other.Leaves.WaitForAsync(p => p.Nickname == nickname, TimeSpan.FromSeconds(15));
        (await other.Client.SetNicknameAsync(nickname)).Should().Be(nickname, "the nickname was released cluster-wide when its user disconnected");
    }

    [Fact]
    public async Task A_user_connected_to_both_nodes_is_one_user_that_joins_once_and_leaves_once()
    {
        var room = Names.Room();
        var key = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
        var nickname = Names.User("tabs");
        await using var watcher = await TestClient.ConnectAsync(fixture.First, Names.User("watcher"));
        await watcher.Client.JoinAsync(room);
        var firstTab = await TestClient.ConnectAsync(fixture.First, nickname, key);
        var secondTab = await TestClient.ConnectAsync(fixture.Second, Names.User("ignored"), key);
        secondTab.Nickname.Should().Be(nickname, "the same key on another node is the same user, with its nickname");

        await firstTab.Client.JoinAsync(room);
        var snapshot = await secondTab.Client.JoinAsync(room);
        snapshot.Members.Should().BeEquivalentTo(watcher.Nickname, nickname);
        (await watcher.Client.WhoAsync(room)).UserCount.Should().Be(2);

        await firstTab.DisposeAsync();
        (await watcher.Client.WhoAsync(room)).Users.Should().Contain(nickname, "its other connection is still in the room");

        await secondTab.DisposeAsync();
        await watcher.Leaves.WaitForAsync(p => p.Nickname == nickname);
        watcher.Joins.Items.Where(p => p.Nickname == nickname).Should().ContainSingle();
        watcher.Leaves.Items.Where(p => p.Nickname == nickname).Should().ContainSingle();
    }

    [Fact]
    public async Task Direct_messages_and_renames_reach_users_on_the_other_node()
    {
        var room = Names.Room();
        await using var alice = await TestClient.ConnectAsync(fixture.First, Names.User("alice"));
        await using var bob = await TestClient.ConnectAsync(fixture.Second, Names.User("bob"));
        await alice.Client.JoinAsync(room);
        await bob.Client.JoinAsync(room);

        var direct = await alice.Client.SendDirectAsync(bob.Nickname, "psst");
        (await bob.Directs.WaitForAsync(m => m.Id == direct.Id)).Text.Should().Be("psst");
        await alice.Directs.WaitForAsync(m => m.Id == direct.Id);

        var oldName = alice.Nickname;
        var newName = Names.User("alicia");
        await alice.Client.SetNicknameAsync(newName);
        (await bob.Renames.WaitForAsync(c => c.NewNickname == newName)).OldNickname.Should().Be(oldName);
        (await bob.Client.WhoAsync(room)).Users.Should().BeEquivalentTo(newName, bob.Nickname);
        var sent = await alice.Client.SendAsync(room, "signed with the new name");
        (await bob.Messages.WaitForAsync(m => m.Id == sent.Id)).Sender.Should().Be(newName);
    }

    [Fact]
    public async Task Lobby_watchers_on_one_node_see_rooms_made_on_the_other()
    {
        var room = Names.Room("lobby");
        await using var watcher = await TestClient.ConnectAsync(fixture.First, Names.User("watcher"));
        await using var alice = await TestClient.ConnectAsync(fixture.Second, Names.User("alice"));
        await watcher.Client.WatchLobbyAsync();

        await alice.Client.JoinAsync(room);
        await watcher.Lobby.WaitForAsync(rooms => rooms.Any(r => r.Name == room && r.UserCount == 1));
        await alice.Client.LeaveAsync(room);
        await watcher.Lobby.WaitUntilAsync(updates => updates.Count > 1 && updates[^1].All(r => r.Name != room));
    }

    [Fact]
    public async Task Lobby_counts_a_user_connected_to_both_nodes_once_as_list_rooms_does()
    {
        var room = Names.Room("lobby");
        var key = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
        await using var watcher = await TestClient.ConnectAsync(fixture.First, Names.User("watcher"));
        await using var alice = await TestClient.ConnectAsync(fixture.Second, Names.User("alice"));
        var firstTab = await TestClient.ConnectAsync(fixture.First, Names.User("tabs"), key);
        var secondTab = await TestClient.ConnectAsync(fixture.Second, Names.User("ignored"), key);
        await watcher.Client.WatchLobbyAsync();

        await alice.Client.JoinAsync(room);
        await firstTab.Client.JoinAsync(room);
        await secondTab.Client.JoinAsync(room);

        foreach (var viewer in new[] { watcher, alice })
        {
            var lobby = await viewer.Client.WatchLobbyAsync();
            lobby.Should().ContainSingle(r => r.Name == room).Which.UserCount.Should().Be(2, "two users, one of them with a connection on each node");
            (await viewer.Client.ListRoomsAsync()).Single(r => r.Name == room).UserCount.Should().Be(2, "the lobby and the list count alike");
        }

        await firstTab.DisposeAsync();
        await secondTab.DisposeAsync();
        await watcher.Lobby.WaitForAsync(rooms => rooms.Any(r => r.Name == room && r.UserCount == 1));
        watcher.Lobby.Items.SelectMany(rooms => rooms).Where(r => r.Name == room).Should()
            .OnlyContain(r => r.UserCount <= 2, "a user's second connection never counts again");
    }

    [Fact]
    public async Task Every_node_is_ready_while_redis_and_postgres_answer()
    {
        foreach (var node in fixture.Cluster.Nodes)
        {
            (await Cluster.ReadinessAsync(node)).Should().Be((HttpStatusCode.OK, "Healthy"));
        }
    }
}
