using Chat.Server.Rooms.Internal;

namespace Chat.Tests.Rooms;

/// <summary>The set behind a user's connections and a connection's rooms, through one and many members.</summary>
public sealed class SmallSetTests
{
    [Fact]
    public void It_behaves_as_an_ordinal_set_from_none_to_many_and_back()
    {
        var set = new SmallSet();
        set.Count.Should().Be(0);
        set.Should().BeEmpty();
        set.Remove("lobby").Should().BeFalse();

        set.Add("lobby").Should().BeTrue();
        set.Add("lobby").Should().BeFalse("a member is kept once");
        set.Contains("lobby").Should().BeTrue();
        set.Contains("Lobby").Should().BeFalse("members compare ordinally");
        set.Should().Equal("lobby");

        set.Add("games").Should().BeTrue();
        set.Add("music").Should().BeTrue();
        set.Add("games").Should().BeFalse();
        set.Count.Should().Be(3);
        set.Should().BeEquivalentTo(["lobby", "games", "music"]);

        set.Remove("lobby").Should().BeTrue();
        set.Remove("lobby").Should().BeFalse();
        set.Remove("music").Should().BeTrue();
        set.Count.Should().Be(1);
        set.Should().Equal("games");
        set.Contains("games").Should().BeTrue();
        set.Contains("music").Should().BeFalse();

        set.Add("music").Should().BeTrue("a set back to one member grows again");
        set.Should().BeEquivalentTo(["games", "music"]);
        set.Remove("games").Should().BeTrue();
        set.Remove("music").Should().BeTrue();
        set.Count.Should().Be(0);
        set.Should().BeEmpty();
    }
}
