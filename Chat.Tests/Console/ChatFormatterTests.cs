using Chat.Client;
using Chat.Client.Console.Rendering;
using Chat.Protocol;

namespace Chat.Tests.Console;

public sealed class ChatFormatterTests
{
    private static readonly DateTimeOffset Noon = new(2026, 11, 21, 12, 1, 30, TimeSpan.Zero);
    private readonly ChatFormatter _formatter = new(TimeZoneInfo.Utc);

    [Fact]
    public void A_room_message_reads_time_room_sender_and_text()
    {
        var message = new ChatMessage("id", "general", 7, "Alice", "Hello everyone!", Noon);

        _formatter.Message(message, me: "Bob").ToString().Should().Be("12:01 [general] Alice: Hello everyone!");
    }

    [Fact]
    public void The_time_is_shown_in_the_local_time_zone()
    {
        var formatter = new ChatFormatter(TimeZoneInfo.CreateCustomTimeZone("plus2", TimeSpan.FromHours(2), "plus2", "plus2"));
        var message = new ChatMessage("id", "general", 7, "Alice", "hi", Noon);

        formatter.Message(message, me: null).ToString().Should().StartWith("14:01 ");
    }

    [Fact]
    public void A_message_of_several_lines_indents_the_later_lines_and_control_characters_cannot_reach_the_terminal()
    {
        var message = new ChatMessage("id", "general", 7, "Mallory", "one\ntwo\e[2J\u009b31m\tend", Noon);

        _formatter.Message(message, me: null).ToString().Should().Be("12:01 [general] Mallory: one\n      two?[2J?31m    end");
    }

    [Fact]
    public void System_lines_say_who_is_in_a_joined_room_and_who_comes_and_goes()
    {
        var snapshot = new RoomSnapshot("general", ["Alice", "Bob", "Carol"], [], 0);

        _formatter.Joined(snapshot).ToString().Should().Be("[SYSTEM] Joined room: general (3 users: Alice, Bob, Carol)");
        _formatter.Joined(snapshot with { Members = ["Alice"] }).ToString().Should().Be("[SYSTEM] Joined room: general (1 user: Alice)");
        _formatter.UserJoined(new RoomPresence("general", "Dave")).ToString().Should().Be("[SYSTEM] Dave joined general");
        _formatter.UserLeft(new RoomPresence("general", "Dave")).ToString().Should().Be("[SYSTEM] Dave left general");
        _formatter.NicknameChanged(new NicknameChange("Dave", "David"), me: "Alice").ToString().Should().Be("[SYSTEM] Dave is now known as David");
        _formatter.NicknameChanged(new NicknameChange("Alice", "Alicia"), me: "Alicia").ToString().Should().Be("[SYSTEM] You are now known as Alicia");
    }

    [Fact]
    public void Private_messages_are_marked_and_say_who_wrote_to_whom()
    {
        var message = new DirectMessage("id", "Alice", "Bob", "psst", Noon);

        _formatter.Direct(message, me: "Bob").ToString().Should().Be("12:01 [private] Alice → you: psst");
        _formatter.Direct(message, me: "Alice").ToString().Should().Be("12:01 [private] you → Bob: psst");
    }

    [Fact]
    public void The_reconnect_status_names_the_rooms_rejoined_and_the_messages_missed()
    {
        _formatter.Reconnecting().ToString().Should().Be("[reconnecting…]");
        _formatter.Reconnected(new RecoveryReport(["general", "tech"], 3)).ToString().Should().Be("[reconnected: rejoined general, tech; 3 missed messages]");
        _formatter.Reconnected(new RecoveryReport(["general"], 1)).ToString().Should().Be("[reconnected: rejoined general; 1 missed message]");
        _formatter.Reconnected(new RecoveryReport(["general"], 0)).ToString().Should().Be("[reconnected: rejoined general; no missed messages]");
        _formatter.Reconnected(new RecoveryReport([], 0)).ToString().Should().Be("[reconnected]");
    }

    [Fact]
    public void Typing_names_who_is_typing_and_where_if_not_in_the_active_room()
    {
        _formatter.Typing([], "general").Should().BeNull();
        _formatter.Typing([new("general", "Bob")], "general")!.ToString().Should().Be("Bob is typing…");
        _formatter.Typing([new("general", "Bob"), new("general", "Carol")], "general")!.ToString().Should().Be("Bob and Carol are typing…");
        _formatter.Typing([new("tech", "Bob")], "general")!.ToString().Should().Be("Bob is typing in tech…");
        _formatter.Typing([new("general", "A"), new("general", "B"), new("general", "C")], "general")!.ToString().Should().Be("3 people are typing…");
    }

    [Fact]
    public void The_prompt_shows_the_nickname_and_the_active_room()
    {
        _formatter.Prompt("alice", "general").ToString().Should().Be("alice@general> ");
        _formatter.Prompt("alice", null).ToString().Should().Be("alice> ");
    }

    [Fact]
    public void Help_lines_up_the_servers_usage_and_descriptions()
    {
        var lines = ChatFormatter.Help([new("/join", "/join <room>", "Join a room."), new("/quit", "/quit", "Leave.")]).Select(line => line.ToString());

        lines.Should().Equal(
            "[SYSTEM] Commands:",
            "  /join <room>  Join a room.",
            "  /quit         Leave.",
            "  Plain text goes to the active room. Start a line with // to send text that begins with /.");
    }

    [Fact]
    public void Errors_are_coloured_apart_and_colours_are_off_for_pipes_and_NO_COLOR()
    {
        var error = ChatFormatter.Error("Nobody called Zed is connected.");

        new AnsiRenderer(colors: true).Render(error).Should().Be("\e[1;31m[ERROR] Nobody called Zed is connected.\e[0m");
        new AnsiRenderer(colors: false).Render(error).Should().Be("[ERROR] Nobody called Zed is connected.");
        AnsiRenderer.ShouldUseColors(outputRedirected: false, noColor: null).Should().BeTrue();
        AnsiRenderer.ShouldUseColors(outputRedirected: false, noColor: "").Should().BeTrue("an empty NO_COLOR does not count");
        AnsiRenderer.ShouldUseColors(outputRedirected: false, noColor: "1").Should().BeFalse();
        AnsiRenderer.ShouldUseColors(outputRedirected: true, noColor: null).Should().BeFalse();
    }

    [Fact]
    public void A_joined_rooms_topic_shows_under_the_join_line_and_the_owner_operators_and_voiced_users_are_marked()
    {
        var info = new RoomInfo("general", "Be kind\e[2J", "alice", ["bob"], ["carol"], false, false, true);
        var snapshot = new RoomSnapshot("general", ["alice", "bob", "carol", "dave"], [], 0, info);

        _formatter.Joined(snapshot).ToString().Should().Be("[SYSTEM] Joined room: general (4 users: @alice (owner), @bob, +carol, dave)");
        _formatter.Topic(snapshot)!.ToString().Should().Be("[general] Topic: Be kind?[2J");
        _formatter.Topic(snapshot with { Info = info with { Topic = null } }).Should().BeNull();
        _formatter.Topic(snapshot with { Info = null }).Should().BeNull();
        ChatFormatter.Who(new RoomSummary("general", 2, ["ALICE", "dave"]), info).ToString().Should().Be("[SYSTEM] general (2 users: @ALICE (owner), dave)");
        ChatFormatter.Room(new RoomSummary("general", 1, ["dave"], "Be kind"), active: true).ToString().Should().Be("  * general (1 user: dave) - Be kind");
    }

    [Fact]
    public void Operators_changes_read_as_sentences_about_the_room()
    {
        var info = RoomInfo.Unowned("general");
        string Line(string action, string? target, string? detail, string me = "dave") =>
            _formatter.RoomChanged(new RoomEvent("general", action, "alice", target, detail, info), me).ToString();

        Line(RoomActions.Topic, null, "Welcome!").Should().Be("[SYSTEM] alice set the topic of #general: Welcome!");
        Line(RoomActions.Topic, null, null).Should().Be("[SYSTEM] alice cleared the topic of #general");
        Line(RoomActions.Kick, "bob", "flooding").Should().Be("[SYSTEM] bob was kicked from #general by alice (flooding)");
        Line(RoomActions.Kick, "bob", null).Should().Be("[SYSTEM] bob was kicked from #general by alice");
        Line(RoomActions.Kick, "Dave", "flooding").Should().Be("[SYSTEM] You were kicked from #general by alice (flooding)");
        Line(RoomActions.Ban, "bob", null).Should().Be("[SYSTEM] bob was banned from #general by alice");
        Line(RoomActions.Ban, "dave", null).Should().Be("[SYSTEM] You were banned from #general by alice");
        Line(RoomActions.Unban, "bob", null).Should().Be("[SYSTEM] alice lifted the ban on bob in #general");
        Line(RoomActions.Op, "carol", null).Should().Be("[SYSTEM] alice made carol an operator of #general");
        Line(RoomActions.Op, "dave", null).Should().Be("[SYSTEM] alice made you an operator of #general");
        Line(RoomActions.Deop, "carol", null).Should().Be("[SYSTEM] alice took operator rights in #general away from carol");
        Line(RoomActions.Voice, "carol", null).Should().Be("[SYSTEM] alice gave carol voice in #general");
        Line(RoomActions.Devoice, "carol", null).Should().Be("[SYSTEM] alice took voice in #general away from carol");
        Line(RoomActions.Mode, null, "+i").Should().Be("[SYSTEM] #general is now invite-only (set by alice)");
        Line(RoomActions.Mode, null, "-i").Should().Be("[SYSTEM] #general is no longer invite-only (set by alice)");
        Line(RoomActions.Mode, null, "+k").Should().Be("[SYSTEM] #general now needs a key to join (set by alice)");
        Line(RoomActions.Mode, null, "-k").Should().Be("[SYSTEM] #general no longer needs a key (set by alice)");
        Line(RoomActions.Mode, null, "+m").Should().Be("[SYSTEM] #general is now moderated: only operators and voiced users speak (set by alice)");
        Line(RoomActions.Mode, null, "-m").Should().Be("[SYSTEM] #general is no longer moderated (set by alice)");
    }

    [Fact]
    public void An_invitation_says_how_to_take_it_up_and_a_signed_in_connection_says_so()
    {
        _formatter.Invited(new RoomInvitation("vault", "alice")).ToString().Should().Be("[SYSTEM] alice invited you to #vault: /join vault");
        _formatter.Connected(new Uri("http://localhost:5000"), "alice", signedIn: true).ToString()
            .Should().Be("[SYSTEM] Connected to http://localhost:5000/ as alice, signed in. Type /help for commands, /quit to leave.");
    }
}
