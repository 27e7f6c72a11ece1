using Chat.Client;
using Chat.Tests.Infrastructure;

namespace Chat.Tests.Hubs;

/// <summary>Every broken rule gets a sentence a person understands, and the connection carries on.</summary>
public abstract class ValidationTests(ChatServerFixture fixture)
{
    private const string RoomRule = "Room names may use letters, digits, - and _ (1-32 characters).";

    public static TheoryData<string> BadRoomNames => ["", "   ", "has space", "semi;colon", "dot.ted", new string('r', 33), "#", "zero\u200Bwidth"];

    [Theory]
    [MemberData(nameof(BadRoomNames))]
    public async Task A_bad_room_name_is_refused_with_the_rule(string room)
    {
        await using var alice = await TestClient.ConnectAsync(fixture.Address, Names.User("alice"));

        await ExpectRefusal(() => alice.Client.JoinAsync(room), RoomRule);
        await ExpectStillServed(alice);
    }

    [Fact]
    public async Task Message_text_must_have_content_and_at_most_2000_characters()
    {
        var room = Names.Room();
        await using var alice = await TestClient.ConnectAsync(fixture.Address, Names.User("alice"));
        await alice.Client.JoinAsync(room);

        await ExpectRefusal(() => alice.Client.SendAsync(room, "   \n\t "), "A message needs some text.");
        await ExpectRefusal(() => alice.Client.SendAsync(room, "\u0001\u0007"), "A message needs some text.");
        await ExpectRefusal(() => alice.Client.SendAsync(room, new string('a', 2001)), "Messages may be at most 2,000 characters.");

        var longest = await alice.Client.SendAsync(room, new string('a', 2000));
        longest.Text.Should().HaveLength(2000);
        var cleaned = await alice.Client.SendAsync(room, "  line one\r\nline\u0000 two\u0007  ");
        cleaned.Text.Should().Be("line one\nline two", "line breaks stay, other control characters go, and the text is trimmed");
        cleaned.Seq.Should().Be(2, "refused messages take no seq");
    }

    [Fact]
    public async Task Only_members_may_send_type_read_history_or_leave()
    {
        var room = Names.Room();
        await using var alice = await TestClient.ConnectAsync(fixture.Address, Names.User("alice"));
        await using var outsider = await TestClient.ConnectAsync(fixture.Address, Names.User("outsider"));
        await alice.Client.JoinAsync(room);
        var notMember = $"You are not in room {room}. Join it first with /join {room}.";

        await ExpectRefusal(() => outsider.Client.SendAsync(room, "let me in"), notMember);
        await ExpectRefusal(() => outsider.Client.GetHistoryAsync(room, 0, 10), notMember);
        await ExpectRefusal(() => outsider.Client.GetMissedAsync(room, 0), notMember);
        await ExpectRefusal(() => outsider.Client.LeaveAsync(room), $"You are not in room {room}.");

        // Typing has no answer to refuse; the members simply hear nothing. The outsider's next call is
        // answered after its typing was handled, and Alice's own message reaches her after any notice.
        await outsider.Client.TypingAsync(room);
        await outsider.Client.MeAsync();
        var barrier = await alice.Client.SendAsync(room, "anyone typing?");
        await alice.Messages.WaitForAsync(m => m.Id == barrier.Id);
        alice.Typing.Items.Should().BeEmpty("an outsider's typing is not passed on");
        await ExpectStillServed(outsider);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(201)]
    [InlineData(-5)]
    public async Task A_history_page_size_outside_1_to_200_is_refused_with_the_rule(int limit)
    {
        var room = Names.Room();
        await using var alice = await TestClient.ConnectAsync(fixture.Address, Names.User("alice"));
        await alice.Client.JoinAsync(room);

        await ExpectRefusal(() => alice.Client.GetHistoryAsync(room, 0, limit), "Ask for 1 to 200 messages at a time.");
        await ExpectStillServed(alice);
    }

    [Fact]
    public async Task A_user_can_be_in_at_most_50_rooms()
    {
        await using var alice = await TestClient.ConnectAsync(fixture.Address, Names.User("alice"));
        for (var i = 0; i < 50; i++)
        {
            await alice.Client.JoinAsync(Names.Room("many"));
        }

        await ExpectRefusal(() => alice.Client.JoinAsync(Names.Room("one-too-many")), "You can be in at most 50 rooms at once. Leave one first.");
        (await alice.Client.MyRoomsAsync()).Should().HaveCount(50);
    }

    private static async Task ExpectRefusal(Func<Task> call, string sentence) =>
        (await call.Should().ThrowAsync<ChatException>()).Which.Message.Should().Be(sentence);

    private static async Task ExpectStillServed(TestClient client)
    {
        var room = Names.Room("after");
        await client.Client.JoinAsync(room);
        var message = await client.Client.SendAsync(room, "still here");
        message.Seq.Should().Be(1);
    }

    /// <summary>On the server's own WebSocket framing (the default).</summary>
    public sealed class OnDirectPath(UnthrottledServerFixture fixture) : ValidationTests(fixture), IClassFixture<UnthrottledServerFixture>;

    /// <summary>Through ASP.NET Core's HTTP stack.</summary>
    public sealed class OnHttpPath(UnthrottledHttpServerFixture fixture) : ValidationTests(fixture), IClassFixture<UnthrottledHttpServerFixture>;
}
