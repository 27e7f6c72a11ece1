using Chat.Protocol;
using Chat.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR.Client;

namespace Chat.Tests.Rooms;

/// <summary>
/// Joins and leaves travel as <c>MembersChanged</c>: the first change in a quiet room at once, later
/// ones collected until the interval ends or something that must come after them is sent.
/// </summary>
public sealed class PresenceBatchingTests(SlowPresenceServerFixture fixture) : IClassFixture<SlowPresenceServerFixture>
{
    [Fact]
    public async Task Arrivals_in_a_busy_room_come_as_one_event_before_the_next_message()
    {
        var room = Names.Room();
        await using var watcher = await RawHub.ConnectAsync(fixture.Address, Names.User("alice"));
        var seen = new EventRecorder<string>();
        watcher.On<RoomMembersChanged>(nameof(IChatClient.MembersChanged), change =>
            seen.Add(string.Join(", ", change.Changes.Select(c => $"{c.Nickname} {(c.Joined ? "joined" : "left")}"))));
        watcher.On<ChatMessage>(nameof(IChatClient.ReceiveMessage), message => seen.Add("message " + message.Text));
        var alice = (await watcher.CallAsync<UserProfile>(nameof(IChatHub.Me))).Nickname;

        await watcher.CallAsync<RoomSnapshot>(nameof(IChatHub.Join), room);
        (await seen.WaitForAsync(_ => true)).Should().Be($"{alice} joined", "the first change in a quiet room goes out at once");

        await using var bob = await TestClient.ConnectAsync(fixture.Address, Names.User("bob"));
        await using var carol = await TestClient.ConnectAsync(fixture.Address, Names.User("carol"));
        await bob.Client.JoinAsync(room);
        await carol.Client.JoinAsync(room);
        await carol.Client.LeaveAsync(room);
        await watcher.CallAsync<ChatMessage>(nameof(IChatHub.SendMessage), room, "hello", "m1");

        (await seen.WaitForCountAsync(3)).Should().Equal(
            $"{alice} joined",
            $"{bob.Nickname} joined, {carol.Nickname} joined, {carol.Nickname} left",
            "message hello");
    }

    [Fact]
    public async Task The_client_reports_only_changes_to_its_member_list()
    {
        var room = Names.Room();
        await using var alice = await TestClient.ConnectAsync(fixture.Address, Names.User("alice"));
        await using var bob = await TestClient.ConnectAsync(fixture.Address, Names.User("bob"));
        await using var carol = await TestClient.ConnectAsync(fixture.Address, Names.User("carol"));
        await alice.Client.JoinAsync(room);
        await bob.Client.JoinAsync(room);

        // Bob's own arrival and Alice's (in his snapshot already) travel in the same batch as Carol's.
        await carol.Client.JoinAsync(room);
        await alice.Client.SendAsync(room, "flush");
        await bob.Messages.WaitForAsync(m => m.Text == "flush");

        bob.Joins.Items.Should().Equal(new RoomPresence(room, carol.Nickname));
        alice.Joins.Items.Should().Equal(new RoomPresence(room, bob.Nickname), new RoomPresence(room, carol.Nickname));
        carol.Joins.Items.Should().BeEmpty("everybody before Carol was in her snapshot");
        bob.Client.MembersOf(room).Should().BeEquivalentTo(alice.Nickname, bob.Nickname, carol.Nickname);
        carol.Client.MembersOf(room).Should().BeEquivalentTo(alice.Nickname, bob.Nickname, carol.Nickname);
    }

    [Fact]
    public async Task Leaving_and_coming_back_within_one_batch_ends_with_the_user_present()
    {
        var room = Names.Room();
        await using var alice = await TestClient.ConnectAsync(fixture.Address, Names.User("alice"));
        await using var bob = await TestClient.ConnectAsync(fixture.Address, Names.User("bob"));
        await alice.Client.JoinAsync(room);
        await bob.Client.JoinAsync(room);
        await alice.Client.SendAsync(room, "flush 1");
        await alice.Joins.WaitForAsync(p => p.Nickname == bob.Nickname);

        await bob.Client.LeaveAsync(room);
        await bob.Client.JoinAsync(room);
        var flush = await alice.Client.SendAsync(room, "flush 2");
        await alice.Messages.WaitForAsync(m => m.Id == flush.Id);

        alice.Leaves.Items.Should().Equal(new RoomPresence(room, bob.Nickname));
        alice.Joins.Items.Should().Equal(new RoomPresence(room, bob.Nickname), new RoomPresence(room, bob.Nickname));
        alice.Client.MembersOf(room).Should().BeEquivalentTo(alice.Nickname, bob.Nickname);
    }

    [Fact]
    public async Task A_rename_comes_after_the_pending_arrival_of_the_renamed_user()
    {
        var room = Names.Room();
        await using var alice = await TestClient.ConnectAsync(fixture.Address, Names.User("alice"));
        await using var bob = await TestClient.ConnectAsync(fixture.Address, Names.User("bob"));
        await alice.Client.JoinAsync(room);
        await bob.Client.JoinAsync(room);
        var oldName = bob.Nickname;
        var newName = Names.User("robert");

        await bob.Client.SetNicknameAsync(newName);

        (await alice.Renames.WaitForAsync(r => r.NewNickname == newName)).OldNickname.Should().Be(oldName);
        alice.Joins.Items.Should().Equal(new RoomPresence(room, oldName));
        alice.Client.MembersOf(room).Should().BeEquivalentTo(alice.Nickname, newName);
    }
}
