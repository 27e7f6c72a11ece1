using Chat.Client;
using Chat.Protocol;
using Chat.Tests.Infrastructure;

namespace Chat.Tests.Client;

/// <summary>
/// The operators' calls of <see cref="ChatClient"/> and what they do to the clients in the room: events
/// for everyone, and a kicked or banned client that no longer counts itself in the room.
/// </summary>
public sealed class ClientModerationTests(ChatServerFixture fixture) : IClassFixture<ChatServerFixture>
{
    [Fact]
    public async Task The_owners_topic_and_kick_reach_the_room_and_the_kicked_client_drops_the_room()
    {
        var room = Names.Room();
        await using var owner = await TestClient.SignUpAsync(fixture.Address, Names.User("owner"));
        await owner.Client.JoinAsync(room);
        await using var guest = await TestClient.ConnectAsync(fixture.Address, Names.User("guest"));
        await guest.Client.JoinAsync(room);

        var info = await owner.Client.SetTopicAsync(room, "Be kind");
        info.Topic.Should().Be("Be kind");
        info.Owner.Should().Be(owner.Nickname);
        var topic = await guest.RoomChanges.WaitForAsync(change => change.Action == RoomActions.Topic);
        topic.Should().Match<RoomEvent>(change => change.Room == room && change.By == owner.Nickname && change.Detail == "Be kind");
        guest.Client.Inner.SettingsOf(room)!.Topic.Should().Be("Be kind");

        await owner.Client.KickAsync(room, guest.Nickname, "flooding");

        var kick = await guest.RoomChanges.WaitForAsync(change => change.Action == RoomActions.Kick);
        kick.Should().Match<RoomEvent>(change => change.Room == room && change.Target == guest.Nickname && change.Detail == "flooding");
        guest.Client.Rooms.Should().NotContain(room);
        guest.Client.Inner.SettingsOf(room).Should().BeNull();
        await owner.RoomChanges.WaitForAsync(change => change.Action == RoomActions.Kick && change.Target == guest.Nickname);
        await owner.Leaves.WaitForAsync(presence => presence.Room == room && presence.Nickname == guest.Nickname);
    }

    [Fact]
    public async Task A_non_operator_is_refused_with_the_servers_sentence_and_carries_on()
    {
        var room = Names.Room();
        await using var owner = await TestClient.SignUpAsync(fixture.Address, Names.User("owner"));
        await owner.Client.JoinAsync(room);
        await using var guest = await TestClient.ConnectAsync(fixture.Address, Names.User("guest"));
        await guest.Client.JoinAsync(room);

        var refusal = await guest.Client.Invoking(client => client.KickAsync(room, owner.Nickname)).Should().ThrowAsync<ChatException>();

        refusal.Which.Message.Should().Be($"Only operators of #{room} can kick.");
        (await guest.Client.SendAsync(room, "still here")).Room.Should().Be(room);
        guest.Client.Rooms.Should().Contain(room);
    }

    [Fact]
    public async Task An_invitation_reaches_the_invited_client()
    {
        var room = Names.Room();
        await using var owner = await TestClient.SignUpAsync(fixture.Address, Names.User("owner"));
        await owner.Client.JoinAsync(room);
        (await owner.Client.SetModeAsync(room, "+i")).InviteOnly.Should().BeTrue();
        await using var guest = await TestClient.ConnectAsync(fixture.Address, Names.User("guest"));

        await owner.Client.InviteAsync(room, guest.Nickname);

        (await guest.Invitations.WaitForAsync(invitation => invitation.Room == room)).By.Should().Be(owner.Nickname);
        (await guest.Client.JoinAsync(room)).Room.Should().Be(room);
    }
}

/// <summary>What a client rejoins after the server restarts: keyed rooms with their key, never a room it was kicked from.</summary>
public sealed class ClientModerationRecoveryTests
{
    [Fact]
    public async Task After_a_restart_a_keyed_room_is_rejoined_with_its_key_and_a_room_the_client_was_kicked_from_is_not()
    {
        await using var server = await ChatServerProcess.StartAsync();
        var (keyed, kickedFrom) = (Names.Room("keyed"), Names.Room("kicked"));
        await using var owner = await TestClient.SignUpAsync(server.Address, Names.User("owner"));
        await owner.Client.JoinAsync(keyed);
        await owner.Client.JoinAsync(kickedFrom);
        await owner.Client.SetModeAsync(keyed, "+k", "sesame");
        await using var guest = await TestClient.ConnectAsync(server.Address, Names.User("guest"));
        await guest.Client.JoinAsync(keyed, "sesame");
        await guest.Client.JoinAsync(kickedFrom);
        await owner.Client.KickAsync(kickedFrom, guest.Nickname);
        await guest.RoomChanges.WaitForAsync(change => change.Action == RoomActions.Kick && change.Room == kickedFrom);

        await server.StopAsync();
        await guest.Reconnects.WaitForCountAsync(1);
        await server.StartAsync();

        var report = (await guest.Recoveries.WaitForCountAsync(1, TimeSpan.FromSeconds(30)))[0];
        report.Rooms.Should().Equal([keyed], "the keyed room takes its key again, and the kick stands");
        (await guest.Client.MeAsync()).Rooms.Should().Equal(keyed);
    }
}
