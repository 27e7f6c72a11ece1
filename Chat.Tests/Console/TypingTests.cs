using Chat.Client.Console.Chatting;
using Chat.Protocol;

namespace Chat.Tests.Console;

public sealed class TypingTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 21, 12, 0, 0, TimeSpan.Zero);

    [Fact]
    public void A_typist_is_shown_for_a_while_after_the_last_notice_and_until_their_message_arrives()
    {
        var typists = new TypingIndicator(TimeSpan.FromSeconds(4));
        typists.Started(new RoomPresence("general", "Bob"), Start);
        typists.Started(new RoomPresence("general", "Carol"), Start.AddSeconds(1));

        typists.NextExpiry.Should().Be(Start.AddSeconds(4));
        typists.Started(new RoomPresence("general", "Bob"), Start.AddSeconds(3));
        typists.Current(Start.AddSeconds(4.5)).Select(typist => typist.Nickname).Should().Equal("Carol", "Bob");
        typists.Current(Start.AddSeconds(5)).Select(typist => typist.Nickname).Should().Equal("Bob");

        typists.Stopped("general", "BOB").Should().BeTrue("nicknames compare without case");
        typists.Current(Start.AddSeconds(5)).Should().BeEmpty();
        typists.NextExpiry.Should().BeNull();
    }

    [Fact]
    public void A_renamed_typist_is_shown_by_the_new_name()
    {
        var typists = new TypingIndicator(TimeSpan.FromSeconds(4));
        typists.Started(new RoomPresence("general", "Bob"), Start);

        typists.Renamed("Bob", "Robert");

        typists.Current(Start).Should().Equal(new RoomPresence("general", "Robert"));
    }

    [Fact]
    public void Typing_is_signalled_once_per_room_per_interval_and_never_for_commands()
    {
        var signal = new TypingSignal(TimeSpan.FromSeconds(2));

        signal.ShouldSend("general", "h", Start).Should().BeTrue();
        signal.ShouldSend("general", "he", Start.AddSeconds(1)).Should().BeFalse();
        signal.ShouldSend("tech", "h", Start.AddSeconds(1)).Should().BeTrue("each room has its own pace");
        signal.ShouldSend("general", "hel", Start.AddSeconds(2)).Should().BeTrue();

        var fresh = new TypingSignal(TimeSpan.FromSeconds(2));
        fresh.ShouldSend("general", "/jo", Start).Should().BeFalse();
        fresh.ShouldSend("general", "/msg bob hello", Start).Should().BeFalse();
        fresh.ShouldSend("general", "   ", Start).Should().BeFalse();
        fresh.ShouldSend(null, "hello", Start).Should().BeFalse("with no room joined there is nobody to tell");
        fresh.ShouldSend("general", "//shrug", Start).Should().BeTrue("a line starting with // is a message");
    }
}
