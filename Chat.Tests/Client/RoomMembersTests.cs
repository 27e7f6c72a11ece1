using Chat.Client.Internal;
using Chat.Protocol;

namespace Chat.Tests.Client;

/// <summary>The client's member list: what the server's batched <c>MembersChanged</c> can and cannot change.</summary>
public sealed class RoomMembersTests
{
    private static MemberChange Joined(string nickname) => new(nickname, true);

    private static MemberChange Left(string nickname) => new(nickname, false);

    [Fact]
    public void Repeats_of_what_the_list_already_says_change_nothing_and_are_not_reported()
    {
        var members = new RoomMembers();
        members.Start(["Alice", "Bob"]);

        var effective = members.Apply([Joined("bob"), Left("Carol"), Joined("Dave"), Left("Alice")]);

        effective.Should().Equal(Joined("Dave"), Left("Alice"));
        members.List().Should().Equal("Bob", "Dave");
    }

    [Fact]
    public void Changes_during_a_join_are_replayed_on_its_snapshot_whichever_side_they_happened_on()
    {
        var members = new RoomMembers();

        // Alice joined before the snapshot (it lists her); Bob joined and left before it; Carol came after.
        members.Apply([Joined("Alice"), Joined("Bob")]).Should().BeEmpty("the join is still in flight");
        members.Apply([Left("Bob"), Joined("Carol")]).Should().BeEmpty();
        var effective = members.Start(["Alice", "Me"]);

        members.List().Should().Equal("Alice", "Carol", "Me");
        effective.Should().Equal(Joined("Bob"), Left("Bob"), Joined("Carol"));
    }

    [Fact]
    public void A_rename_during_a_join_is_replayed_in_its_place()
    {
        var members = new RoomMembers();
        members.Apply([Joined("Bob")]);
        members.Rename("Bob", "Robert");

        members.Start(["Bob", "Me"]);

        members.List().Should().Equal("Me", "Robert");
    }

    [Fact]
    public void A_rejoin_holds_changes_again_until_its_snapshot()
    {
        var members = new RoomMembers();
        members.Start(["Alice", "Me"]);

        members.BeginJoin();
        members.Apply([Left("Alice")]).Should().BeEmpty();
        members.List().Should().Equal("Alice", "Me");
        members.Start(["Me"]).Should().BeEmpty("Alice's leave is already in the new snapshot");

        members.List().Should().Equal("Me");
    }

    [Fact]
    public void A_second_rejoin_attempt_drops_what_the_failed_one_held()
    {
        var members = new RoomMembers();
        members.Start(["Me"]);
        members.BeginJoin();
        members.Apply([Joined("Xavier")]);

        // That connection dropped before its snapshot; Xavier's leave was never seen.
        members.BeginJoin();
        members.Start(["Me"]).Should().BeEmpty();

        members.List().Should().Equal("Me");
    }
}
