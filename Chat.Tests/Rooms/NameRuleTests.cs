using Chat.Server.History;
using Chat.Server.Rooms;
using Microsoft.AspNetCore.SignalR;

namespace Chat.Tests.Rooms;

public sealed class NameRuleTests
{
    [Theory]
    [InlineData("general", "general")]
    [InlineData("  #General ", "general")]
    [InlineData("dev-ops_2", "dev-ops_2")]
    [InlineData("Ｆｕｌｌ", "full")]
    [InlineData("café", "café")]
    public void Room_names_are_canonical_lower_case(string input, string expected) =>
        RoomName.Parse(input).Should().Be(expected);

    [Theory]
    [InlineData("a b")]
    [InlineData("a.b")]
    [InlineData("")]
    [InlineData("##")]
    [InlineData("zero\u200bwidth")]
    [InlineData("new\nline")]
    public void Room_names_outside_the_rule_are_refused(string input) =>
        FluentActions.Invoking(() => RoomName.Parse(input)).Should().Throw<HubException>().WithMessage(RoomName.Rule);

    [Theory]
    [InlineData("Alice", "Alice")]
    [InlineData(" Bob.Smith ", "Bob.Smith")]
    [InlineData("Ｃａｒｏｌ", "Carol")]
    public void Nicknames_are_trimmed_and_normalized(string input, string expected) =>
        Nickname.Parse(input).Should().Be(expected);

    [Theory]
    [InlineData("two words")]
    [InlineData("semi;colon")]
    [InlineData("zero\u200bwidth")]
    [InlineData("")]
    [InlineData("abcdefghijabcdefghijabcdefghijabc")]
    public void Nicknames_outside_the_rule_are_refused(string input) =>
        FluentActions.Invoking(() => Nickname.Parse(input)).Should().Throw<HubException>().WithMessage(Nickname.Rule);

    [Fact]
    public void Nickname_keys_ignore_case_and_width()
    {
        Nickname.Key("ALICE").Should().Be(Nickname.Key("alice"));
        Nickname.Key("Ａｌｉｃｅ").Should().Be(Nickname.Key("alice"));
        Nickname.Key("alice").Should().NotBe(Nickname.Key("alicia"));
    }

    [Fact]
    public void Message_text_keeps_emoji_sequences_and_line_breaks()
    {
        var family = "👨\u200D👩\u200D👧";

        MessageText.Parse($"{family}\r\nsecond line").Should().Be($"{family}\nsecond line");
    }
}
