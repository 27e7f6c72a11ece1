using Chat.Protocol;
using Chat.Tests.Infrastructure;

namespace Chat.Tests.Moderation;

/// <summary>Owners, operators and the rules they set, on one server, with real accounts and real hub connections.</summary>
public sealed class ModerationTests(ModerationServerFixture server) : IClassFixture<ModerationServerFixture>
{
    private Uri Address => server.Address;

    [Fact]
    public async Task A_signed_in_user_who_opens_a_room_owns_it()
    {
        var room = Names.Room();
        await using var alice = await RoomUser.AccountAsync(Address, Names.User("alice"));

        var snapshot = await alice.JoinAsync(room);

        snapshot.Info.Should().NotBeNull();
        snapshot.Info!.Owner.Should().Be(alice.Nickname);
        snapshot.Info.Operators.Should().BeEmpty("the owner is not listed again among the other operators");
    }

    [Fact]
    public async Task A_guest_who_opens_a_room_does_not_own_it_and_nobody_else_can_run_it()
    {
        var room = Names.Room();
        await using var guest = await RoomUser.GuestAsync(Address, Names.User("guest"));

        var snapshot = await guest.JoinAsync(room);

        snapshot.Info.Should().BeEquivalentTo(RoomInfo.Unowned(room));
        (await guest.RefusalOf(user => user.Call<RoomInfo>(nameof(IChatHub.SetTopic), room, "mine")))
            .Should().Be($"Only operators of #{room} can set the topic.");
    }

    [Fact]
    public async Task A_non_operator_is_refused_with_a_sentence_for_every_operator_method()
    {
        var room = Names.Room();
        await using var owner = await RoomUser.AccountAsync(Address, Names.User("owner"));
        await owner.JoinAsync(room);
        await using var guest = await RoomUser.GuestAsync(Address, Names.User("guest"));
        await guest.JoinAsync(room);
        var target = owner.Nickname;

        var refusals = new Dictionary<string, Func<RoomUser, Task>>
        {
            ["set the topic"] = user => user.Call<RoomInfo>(nameof(IChatHub.SetTopic), room, "hijacked"),
            ["kick"] = user => user.Call(nameof(IChatHub.Kick), room, target, null),
            ["ban"] = user => user.Call(nameof(IChatHub.Ban), room, target),
            ["unban"] = user => user.Call(nameof(IChatHub.Unban), room, target),
            ["op"] = user => user.Call(nameof(IChatHub.Op), room, guest.Nickname),
            ["deop"] = user => user.Call(nameof(IChatHub.Deop), room, target),
            ["voice"] = user => user.Call(nameof(IChatHub.Voice), room, guest.Nickname),
            ["devoice"] = user => user.Call(nameof(IChatHub.Devoice), room, target),
            ["invite"] = user => user.Call(nameof(IChatHub.Invite), room, guest.Nickname),
            ["change modes"] = user => user.Call<RoomInfo>(nameof(IChatHub.SetMode), room, "+m", null),
            ["see the settings"] = user => user.Call<RoomSettings>(nameof(IChatHub.GetRoomSettings), room),
        };
        foreach (var (verb, call) in refusals)
        {
            (await guest.RefusalOf(call)).Should().Be($"Only operators of #{room} can {verb}.");
        }

        // Nothing changed, and the guest's connection carries on.
        var info = (await owner.Call<RoomSettings>(nameof(IChatHub.GetRoomSettings), room)).Info;
        info.Should().BeEquivalentTo(new RoomInfo(room, null, owner.Nickname, [], [], false, false, false));
        (await guest.SendAsync(room, "still here")).Text.Should().Be("still here");
    }

    [Fact]
    public async Task The_topic_shows_in_the_join_snapshot_the_room_list_and_the_lobby()
    {
        var room = Names.Room();
        await using var alice = await RoomUser.AccountAsync(Address, Names.User("alice"));
        await alice.JoinAsync(room);
        await using var watcher = await RoomUser.GuestAsync(Address, Names.User("watcher"));
        await watcher.Call<IReadOnlyList<LobbyRoom>>(nameof(IChatHub.WatchLobby));

        var info = await alice.Call<RoomInfo>(nameof(IChatHub.SetTopic), room, "  Rust and coffee  ");

        info.Topic.Should().Be("Rust and coffee");
        var change = await alice.Changes.WaitForAsync(c => c.Room == room);
        change.Should().BeEquivalentTo(new { Room = room, Action = RoomActions.Topic, By = alice.Nickname, Target = (string?)null, Detail = "Rust and coffee" });
        await watcher.Lobby.WaitForAsync(rooms => rooms.Any(r => r.Name == room && r.Topic == "Rust and coffee"));

        await using var bob = await RoomUser.GuestAsync(Address, Names.User("bob"));
        (await bob.JoinAsync(room)).Info!.Topic.Should().Be("Rust and coffee");
        (await bob.Call<IReadOnlyList<RoomSummary>>(nameof(IChatHub.ListRooms))).Single(r => r.Name == room).Topic.Should().Be("Rust and coffee");
        (await bob.Call<RoomSummary>(nameof(IChatHub.Who), room)).Topic.Should().Be("Rust and coffee");
        (await bob.Call<IReadOnlyList<RoomSummary>>(nameof(IChatHub.MyRooms))).Single().Topic.Should().Be("Rust and coffee");

        (await alice.RefusalOf(user => user.Call<RoomInfo>(nameof(IChatHub.SetTopic), room, new string('x', 301))))
            .Should().Be("A topic may be at most 300 characters.");
        (await alice.Call<RoomInfo>(nameof(IChatHub.SetTopic), room, "")).Topic.Should().BeNull("an empty topic clears it");
    }

    [Fact]
    public async Task An_operator_made_by_the_owner_can_run_the_room_until_deopped_and_the_owner_stays_an_operator()
    {
        var room = Names.Room();
        await using var owner = await RoomUser.AccountAsync(Address, Names.User("owner"));
        await owner.JoinAsync(room);
        await using var carol = await RoomUser.AccountAsync(Address, Names.User("carol"));
        await carol.JoinAsync(room);
        await using var guest = await RoomUser.GuestAsync(Address, Names.User("guest"));
        await guest.JoinAsync(room);

        (await owner.RefusalOf(user => user.Call(nameof(IChatHub.Op), room, guest.Nickname)))
            .Should().Be($"Only signed-in users can be operators; {guest.Nickname} is a guest.");
        await owner.Call(nameof(IChatHub.Op), room, carol.Nickname.ToUpperInvariant());
        var op = await guest.Changes.WaitForAsync(c => c.Action == RoomActions.Op);
        op.Target.Should().Be(carol.Nickname);
        op.Info.Operators.Should().Equal(carol.Nickname);

        (await carol.Call<RoomInfo>(nameof(IChatHub.SetTopic), room, "carol was here")).Topic.Should().Be("carol was here");
        (await carol.RefusalOf(user => user.Call(nameof(IChatHub.Deop), room, owner.Nickname)))
            .Should().Be($"{owner.Nickname} owns #{room}; the owner stays an operator.");

        await owner.Call(nameof(IChatHub.Deop), room, carol.Nickname);
        (await guest.Changes.WaitForAsync(c => c.Action == RoomActions.Deop)).Info.Operators.Should().BeEmpty();
        (await carol.RefusalOf(user => user.Call<RoomInfo>(nameof(IChatHub.SetTopic), room, "again")))
            .Should().Be($"Only operators of #{room} can set the topic.");
    }

    [Fact]
    public async Task Kick_takes_every_connection_of_the_user_out_of_the_room_with_the_reason()
    {
        var room = Names.Room();
        await using var owner = await RoomUser.AccountAsync(Address, Names.User("owner"));
        await owner.JoinAsync(room);
        var troll = Names.User("troll");
        await using var phone = await RoomUser.AccountAsync(Address, troll);
        await using var laptop = await RoomUser.SignedInAsync(Address, troll);
        await phone.JoinAsync(room);
        await laptop.JoinAsync(room);

        (await owner.RefusalOf(user => user.Call(nameof(IChatHub.Kick), room, "nobody-here", null)))
            .Should().Be($"Nobody called nobody-here is in #{room}.");
        await owner.Call(nameof(IChatHub.Kick), room, troll, "flooding");

        foreach (var device in new[] { phone, laptop, owner })
        {
            var kick = await device.Changes.WaitForAsync(c => c.Action == RoomActions.Kick);
            kick.Should().BeEquivalentTo(new { Room = room, By = owner.Nickname, Target = troll, Detail = "flooding" });
        }

        await owner.Members.WaitForAsync(m => m.Room == room && m.Changes.Any(c => c.Nickname == troll && !c.Joined));
        (await owner.Call<RoomSummary>(nameof(IChatHub.Who), room)).Users.Should().Equal(owner.Nickname);
        (await phone.RefusalOf(user => user.SendAsync(room, "still?"))).Should().Be($"You are not in room {room}. Join it first with /join {room}.");
        (await laptop.JoinAsync(room)).Members.Should().Contain(troll, "a kick is not a ban");
    }

    [Fact]
    public async Task A_banned_account_cannot_join_or_send_until_unbanned()
    {
        var room = Names.Room();
        await using var owner = await RoomUser.AccountAsync(Address, Names.User("owner"));
        await owner.JoinAsync(room);
        await using var troll = await RoomUser.AccountAsync(Address, Names.User("troll"));
        await troll.JoinAsync(room);

        await owner.Call(nameof(IChatHub.Ban), room, troll.Nickname);

        (await troll.Changes.WaitForAsync(c => c.Action == RoomActions.Ban)).Target.Should().Be(troll.Nickname);
        await owner.Members.WaitForAsync(m => m.Room == room && m.Changes.Any(c => c.Nickname == troll.Nickname && !c.Joined));
        (await troll.RefusalOf(user => user.JoinAsync(room))).Should().Be($"You are banned from #{room}.");
        await using (var again = await RoomUser.SignedInAsync(Address, troll.Nickname))
        {
            (await again.RefusalOf(user => user.JoinAsync(room))).Should().Be($"You are banned from #{room}.", "the ban is the account's, on every device");
        }

        (await owner.Call<RoomSettings>(nameof(IChatHub.GetRoomSettings), room)).Banned.Should().Equal(troll.Nickname);
        (await owner.RefusalOf(user => user.Call(nameof(IChatHub.Unban), room, "someone-else")))
            .Should().Be($"someone-else is not banned from #{room}.");
        await owner.Call(nameof(IChatHub.Unban), room, troll.Nickname);
        (await owner.Changes.WaitForAsync(c => c.Action == RoomActions.Unban)).Target.Should().Be(troll.Nickname);
        await troll.JoinAsync(room);
        (await troll.SendAsync(room, "sorry")).Text.Should().Be("sorry");
    }

    [Fact]
    public async Task A_banned_name_that_is_not_connected_is_refused_when_it_comes()
    {
        var room = Names.Room();
        await using var owner = await RoomUser.AccountAsync(Address, Names.User("owner"));
        await owner.JoinAsync(room);
        var later = Names.User("later");

        await owner.Call(nameof(IChatHub.Ban), room, later);

        await using var user = await RoomUser.AccountAsync(Address, later);
        (await user.RefusalOf(u => u.JoinAsync(room))).Should().Be($"You are banned from #{room}.");
    }

    [Fact]
    public async Task A_guest_is_banned_by_their_key_and_cannot_come_back_under_another_name()
    {
        var room = Names.Room();
        await using var owner = await RoomUser.AccountAsync(Address, Names.User("owner"));
        await owner.JoinAsync(room);
        var key = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
        var guest = await RoomUser.GuestAsync(Address, Names.User("guest"), key);
        await guest.JoinAsync(room);

        await owner.Call(nameof(IChatHub.Ban), room, guest.Nickname);
        await guest.Changes.WaitForAsync(c => c.Action == RoomActions.Ban);
        await guest.DisposeAsync();

        await using var renamed = await RoomUser.GuestAsync(Address, Names.User("innocent"), key);
        (await renamed.RefusalOf(user => user.JoinAsync(room))).Should().Be($"You are banned from #{room}.");
        await using var other = await RoomUser.GuestAsync(Address, Names.User("other"));
        await other.JoinAsync(room);
    }

    [Fact]
    public async Task An_invite_only_room_admits_operators_and_invited_users_until_they_are_kicked()
    {
        var room = Names.Room();
        await using var owner = await RoomUser.AccountAsync(Address, Names.User("owner"));
        await owner.JoinAsync(room);
        (await owner.Call<RoomInfo>(nameof(IChatHub.SetMode), room, "+i", null)).InviteOnly.Should().BeTrue();
        await using var bob = await RoomUser.GuestAsync(Address, Names.User("bob"));

        (await bob.RefusalOf(user => user.JoinAsync(room))).Should().Be($"#{room} is invite-only. Ask an operator for an invite.");
        await owner.Call(nameof(IChatHub.Invite), room, bob.Nickname);
        (await bob.Invitations.WaitForAsync(_ => true)).Should().Be(new RoomInvitation(room, owner.Nickname));
        (await owner.Call<RoomSettings>(nameof(IChatHub.GetRoomSettings), room)).Invited.Should().Equal(bob.Nickname);
        await bob.JoinAsync(room);

        // A member who leaves or reconnects comes back on the same invitation.
        await bob.Call(nameof(IChatHub.Leave), room);
        await bob.JoinAsync(room);

        await owner.Call(nameof(IChatHub.Kick), room, bob.Nickname, null);
        await bob.Changes.WaitForAsync(c => c.Action == RoomActions.Kick);
        (await owner.Call<RoomSettings>(nameof(IChatHub.GetRoomSettings), room)).Invited.Should().BeEmpty("a kick withdraws the invitation");
        (await bob.RefusalOf(user => user.JoinAsync(room))).Should().Be($"#{room} is invite-only. Ask an operator for an invite.");
        await owner.Call(nameof(IChatHub.Leave), room);
        (await owner.JoinAsync(room)).Info!.InviteOnly.Should().BeTrue("operators need no invitation");
    }

    [Fact]
    public async Task A_room_with_a_key_needs_the_key_to_join()
    {
        var room = Names.Room();
        await using var owner = await RoomUser.AccountAsync(Address, Names.User("owner"));
        await owner.JoinAsync(room);
        (await owner.RefusalOf(user => user.Call<RoomInfo>(nameof(IChatHub.SetMode), room, "+k", "has spaces")))
            .Should().Be("A room key is 1-32 characters without spaces.");
        var info = await owner.Call<RoomInfo>(nameof(IChatHub.SetMode), room, "+k", "s3cret");
        info.KeyRequired.Should().BeTrue();
        (await owner.Changes.WaitForAsync(c => c.Action == RoomActions.Mode)).Detail.Should().Be("+k", "the key itself is never shown to members");
        await using var bob = await RoomUser.GuestAsync(Address, Names.User("bob"));

        (await bob.RefusalOf(user => user.JoinAsync(room))).Should().Be($"#{room} needs a key: /join {room} <key>.");
        (await bob.RefusalOf(user => user.JoinAsync(room, "guess"))).Should().Be($"That key does not open #{room}.");
        (await bob.JoinAsync(room, "s3cret")).Info!.KeyRequired.Should().BeTrue();
        (await owner.Call<RoomSettings>(nameof(IChatHub.GetRoomSettings), room)).Key.Should().Be("s3cret");

        await owner.Call<RoomInfo>(nameof(IChatHub.SetMode), room, "-k", null);
        await using var carol = await RoomUser.GuestAsync(Address, Names.User("carol"));
        await carol.JoinAsync(room);
    }

    [Fact]
    public async Task In_a_moderated_room_only_operators_and_voiced_users_speak()
    {
        var room = Names.Room();
        await using var owner = await RoomUser.AccountAsync(Address, Names.User("owner"));
        await owner.JoinAsync(room);
        await using var bob = await RoomUser.GuestAsync(Address, Names.User("bob"));
        await bob.JoinAsync(room);
        (await bob.SendAsync(room, "before")).Text.Should().Be("before");

        await owner.Call<RoomInfo>(nameof(IChatHub.SetMode), room, "+m", null);

        (await bob.RefusalOf(user => user.SendAsync(room, "can I?"))).Should().Be($"#{room} is moderated: only operators and voiced users can speak.");
        (await owner.SendAsync(room, "operators can")).Text.Should().Be("operators can");
        await owner.Call(nameof(IChatHub.Voice), room, bob.Nickname);
        (await bob.Changes.WaitForAsync(c => c.Action == RoomActions.Voice)).Info.Voiced.Should().Equal(bob.Nickname);
        (await bob.SendAsync(room, "voiced")).Text.Should().Be("voiced");
        await owner.Call(nameof(IChatHub.Devoice), room, bob.Nickname);
        await bob.Changes.WaitForAsync(c => c.Action == RoomActions.Devoice);
        (await bob.RefusalOf(user => user.SendAsync(room, "again"))).Should().Be($"#{room} is moderated: only operators and voiced users can speak.");
        await owner.Call<RoomInfo>(nameof(IChatHub.SetMode), room, "-m", null);
        (await bob.SendAsync(room, "free again")).Text.Should().Be("free again");
    }

    [Fact]
    public async Task A_server_administrator_acts_as_operator_in_a_room_they_do_not_own()
    {
        var room = Names.Room();
        await using var owner = await RoomUser.AccountAsync(Address, Names.User("owner"));
        await owner.JoinAsync(room);
        await using var troll = await RoomUser.GuestAsync(Address, Names.User("troll"));
        await troll.JoinAsync(room);
        await using var admin = await AdministratorAsync();

        await admin.Call(nameof(IChatHub.Kick), room, troll.Nickname, "by the house");
        (await troll.Changes.WaitForAsync(c => c.Action == RoomActions.Kick)).By.Should().Be(admin.Nickname);
        (await admin.Call<RoomInfo>(nameof(IChatHub.SetTopic), room, "house rules")).Owner.Should().Be(owner.Nickname);

        // A room a guest opened has no owner; only an administrator can run it.
        var guestRoom = Names.Room();
        await troll.JoinAsync(guestRoom);
        (await admin.Call<RoomInfo>(nameof(IChatHub.SetMode), guestRoom, "+m", null)).Should().BeEquivalentTo(new RoomInfo(guestRoom, null, null, [], [], false, false, true));
        (await troll.RefusalOf(user => user.SendAsync(guestRoom, "hi"))).Should().Be($"#{guestRoom} is moderated: only operators and voiced users can speak.");
    }

    [Fact]
    public async Task An_owned_room_that_empties_keeps_its_owner_and_settings()
    {
        var room = Names.Room();
        var ownerName = Names.User("owner");
        await using (var owner = await RoomUser.AccountAsync(Address, ownerName))
        {
            await owner.JoinAsync(room);
            await owner.Call<RoomInfo>(nameof(IChatHub.SetTopic), room, "kept");
            await owner.Call<RoomInfo>(nameof(IChatHub.SetMode), room, "+m", null);
        }

        await using var other = await RoomUser.AccountAsync(Address, Names.User("other"));
        var snapshot = await other.JoinAsync(room);
        snapshot.Info.Should().BeEquivalentTo(new RoomInfo(room, "kept", ownerName, [], [], false, false, true), "the first to come back does not become the owner");
    }

    private Task<RoomUser> AdministratorAsync() => RoomUser.AccountAsync(Address, ModerationServerFixture.Administrator);
}
