using System.Text.RegularExpressions;
using Chat.Tests.Infrastructure;

namespace Chat.Tests.Console;

/// <summary>The console client as people and scripts use it: real client processes against a real server.</summary>
public sealed class ConsoleChatTests(ChatServerFixture fixture) : IClassFixture<ChatServerFixture>
{
    private const string Time = @"\d\d:\d\d";

    [Fact]
    public async Task Two_console_clients_chat_through_stdin_and_stdout()
    {
        var (room, alice, bob) = (Names.Room(), Names.User("alice"), Names.User("bob"));
        await using var aliceConsole = ConsoleClientProcess.Start(fixture.Address, alice);
        await using var bobConsole = ConsoleClientProcess.Start(fixture.Address, bob);

        await aliceConsole.SendAsync($"/join {room}");
        await aliceConsole.WaitForExactLineAsync($"[SYSTEM] Joined room: {room} (1 user: {alice})");
        await bobConsole.SendAsync($"/join {room}");
        await bobConsole.WaitForLineAsync($@"^\[SYSTEM\] Joined room: {room} \(2 users: ({alice}, {bob}|{bob}, {alice})\)$");
        await aliceConsole.WaitForExactLineAsync($"[SYSTEM] {bob} joined {room}");

        await bobConsole.SendAsync("Hello everyone!");
        await aliceConsole.WaitForLineAsync($@"^{Time} \[{room}\] {bob}: Hello everyone!$");
        await bobConsole.WaitForLineAsync($@"^{Time} \[{room}\] {bob}: Hello everyone!$");

        await aliceConsole.SendAsync($"/msg {bob} psst, only for you");
        await bobConsole.WaitForLineAsync($@"^{Time} \[private\] {alice} → you: psst, only for you$");
        await aliceConsole.WaitForLineAsync($@"^{Time} \[private\] you → {bob}: psst, only for you$");

        var renamed = Names.User("alicia");
        await aliceConsole.SendAsync($"/nick {renamed}");
        await aliceConsole.WaitForExactLineAsync($"[SYSTEM] You are now known as {renamed}");
        await bobConsole.WaitForExactLineAsync($"[SYSTEM] {alice} is now known as {renamed}");

        await bobConsole.SendAsync("/quit");
        (await bobConsole.WaitForExitAsync()).Should().Be(0, bobConsole.Transcript);
        await aliceConsole.WaitForExactLineAsync($"[SYSTEM] {bob} left {room}");
        bobConsole.Output.Items.Should().ContainSingle(line => line.EndsWith("Hello everyone!"), "each message is shown once");

        aliceConsole.CloseInput();
        (await aliceConsole.WaitForExitAsync()).Should().Be(0, aliceConsole.Transcript);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_piped_script_sends_its_lines_and_exits_0_at_quit_or_at_the_end_of_its_input(bool endsWithQuit)
    {
        var (room, bot) = (Names.Room(), Names.User("bot"));
        await using var watcher = await TestClient.ConnectAsync(fixture.Address, Names.User("watcher"));
        await watcher.Client.JoinAsync(room);
        await using var script = ConsoleClientProcess.Start(fixture.Address, bot);

        // Written all at once and closed, like printf '/join general\nhello\n/quit\n' | chat Bot
        await script.SendAsync($"/join {room}\nhello\n{(endsWithQuit ? "/quit\nnot sent after quit" : "")}");
        script.CloseInput();

        (await script.WaitForExitAsync()).Should().Be(0, script.Transcript);
        script.Output.Items.Should().Contain(line => Regex.IsMatch(line, $@"^{Time} \[{room}\] {bot}: hello$"), script.Transcript);
        script.Output.Items[^1].Should().Be($"[SYSTEM] Left {room}. Bye!");
        (await watcher.Messages.WaitForAsync(message => message.Sender == bot)).Text.Should().Be("hello");
        await watcher.Leaves.WaitForAsync(presence => presence.Nickname == bot && presence.Room == room);
        watcher.Messages.Items.Should().ContainSingle(message => message.Sender == bot);
    }

    [Fact]
    public async Task Mistyped_commands_are_explained_and_send_nothing()
    {
        var (room, carol) = (Names.Room(), Names.User("carol"));
        await using var watcher = await TestClient.ConnectAsync(fixture.Address, Names.User("watcher"));
        await watcher.Client.JoinAsync(room);
        await using var console = ConsoleClientProcess.Start(fixture.Address, carol);

        await console.SendAsync("hello before joining");
        await console.WaitForExactLineAsync("[SYSTEM] You are not in a room yet. Join one with /join <room>, e.g. /join general.");
        await console.SendAsync($"/join {room}");
        await console.SendAsync("/frobnicate the room");
        await console.WaitForExactLineAsync("[ERROR] Unknown command /frobnicate. Type /help for the list of commands.");
        await console.SendAsync("/join");
        await console.WaitForExactLineAsync("[ERROR] /join needs a room name. Usage: /join <room> [key]");
        await console.SendAsync("/history lots");
        await console.WaitForExactLineAsync("[ERROR] /history takes a number of messages from 1 to 200. Usage: /history [n]");
        await console.SendAsync($"/msg {watcher.Nickname}");
        await console.WaitForExactLineAsync($"[ERROR] /msg needs a message after the nickname {watcher.Nickname}. Usage: /msg <nick> <text>");
        await console.SendAsync("/msg nobody-here hello?");
        await console.WaitForExactLineAsync("[ERROR] Nobody called nobody-here is connected.");
        await console.SendAsync("/switch elsewhere");
        await console.WaitForExactLineAsync("[ERROR] You are not in room elsewhere. Join it first with /join elsewhere.");
        await console.SendAsync("/join no spaces allowed");
        await console.WaitForExactLineAsync("[ERROR] /join takes a room name and, for a room with a key, the key; neither has spaces. Usage: /join <room> [key]");
        await console.SendAsync("the first real message");

        // Anything the mistakes had sent would have arrived before this message.
        var first = await watcher.Messages.WaitForAsync(message => message.Sender == carol);
        first.Text.Should().Be("the first real message");
        watcher.Directs.Items.Should().BeEmpty();
    }

    [Fact]
    public async Task Room_commands_list_switch_show_history_and_leave_through_the_server()
    {
        var (first, second, dave) = (Names.Room("first"), Names.Room("second"), Names.User("dave"));
        await using var other = await TestClient.ConnectAsync(fixture.Address, Names.User("other"));
        await other.Client.JoinAsync(first);
        await other.Client.JoinAsync(second);
        for (var i = 1; i <= 12; i++)
        {
            await other.Client.SendAsync(first, $"old message {i}");
        }

        await using var console = ConsoleClientProcess.Start(fixture.Address, dave, "--room", first, "--room", second);
        await console.WaitForLineAsync($@"^\[SYSTEM\] Joined room: {first} \(2 users: ");
        await console.WaitForLineAsync($@"^{Time} \[{first}\] {other.Nickname}: old message 12$");
        await console.WaitForLineAsync($@"^\[SYSTEM\] Joined room: {second} \(2 users: ");
        console.Output.Items.Should().NotContain(line => line.EndsWith("old message 2"), "only the latest 10 are shown on joining");

        await console.SendAsync("to the active room");
        (await other.Messages.WaitForAsync(message => message.Sender == dave)).Room.Should().Be(second, "the last room joined is the active one");

        await console.SendAsync($"/switch {first}");
        await console.WaitForExactLineAsync($"[SYSTEM] Active room: {first}");
        await console.SendAsync("/history 2");
        await console.WaitForExactLineAsync($"[SYSTEM] Earlier in {first}:");
        await console.WaitForExactLineAsync($"[SYSTEM] End of earlier messages in {first}.");
        var earlier = console.Output.Items.SkipWhile(line => line != $"[SYSTEM] Earlier in {first}:").Skip(1).Take(2).ToList();
        earlier.Should().HaveCount(2).And.SatisfyRespectively(
            line => line.Should().EndWith("old message 1"),
            line => line.Should().EndWith("old message 2"));

        await console.SendAsync("/who");
        await console.WaitForLineAsync($@"^\[SYSTEM\] {first} \(2 users: ");
        await console.SendAsync("/rooms");
        await console.WaitForExactLineAsync("[SYSTEM] You are in 2 rooms (* is the active one):");
        await console.WaitForLineAsync($@"^  \* {first} \(2 users: ");
        await console.SendAsync("/list");
        await console.WaitForLineAsync($@"^  {second} \(2 users: ");
        await console.SendAsync("/help");
        await console.WaitForLineAsync(@"^  /msg <nick> <text> +Send a private message");

        await console.SendAsync($"/leave {first}");
        await console.WaitForExactLineAsync($"[SYSTEM] Left room: {first}");
        await console.WaitForExactLineAsync($"[SYSTEM] Active room: {second}");
        await other.Leaves.WaitForAsync(presence => presence.Room == first && presence.Nickname == dave);
        await console.SendAsync("/leave");
        await console.WaitForExactLineAsync($"[SYSTEM] Left {second}.");
        await other.Leaves.WaitForAsync(presence => presence.Room == second && presence.Nickname == dave);
    }

    [Fact]
    public async Task Ctrl_C_leaves_the_rooms_so_others_see_it_and_exits_0()
    {
        var (room, erin) = (Names.Room(), Names.User("erin"));
        await using var watcher = await TestClient.ConnectAsync(fixture.Address, Names.User("watcher"));
        await watcher.Client.JoinAsync(room);
        await using var console = ConsoleClientProcess.Start(fixture.Address, erin, "--room", room);
        await console.WaitForLineAsync($@"^\[SYSTEM\] Joined room: {room} ");

        console.Signal(ConsoleClientProcess.SigInt);

        (await console.WaitForExitAsync()).Should().Be(0, console.Transcript);
        await watcher.Leaves.WaitForAsync(presence => presence.Nickname == erin && presence.Room == room);
        console.Output.Items[^1].Should().Be($"[SYSTEM] Left {room}. Bye!");
    }

    [Fact]
    public async Task A_taken_nickname_ends_a_piped_client_with_exit_code_1_and_the_servers_sentence()
    {
        var frank = Names.User("frank");
        await using var holder = await TestClient.ConnectAsync(fixture.Address, frank);

        await using var console = ConsoleClientProcess.Start(fixture.Address, frank.ToUpperInvariant());

        (await console.WaitForExitAsync()).Should().Be(1, console.Transcript);
        console.Errors.Items.Should().Equal($"The nickname {frank.ToUpperInvariant()} is already in use. Choose another one.");
    }

    [Fact]
    public async Task Without_a_name_the_server_assigns_one_and_CHAT_SERVER_says_where_the_server_is()
    {
        await using var console = ConsoleClientProcess.StartWith(serverVariable: fixture.Address.ToString());

        await console.WaitForLineAsync(@"^\[SYSTEM\] Connected to .* as user_[a-z]{6}\d\d\. ");
        console.CloseInput();
        (await console.WaitForExitAsync()).Should().Be(0, console.Transcript);
    }

    [Fact]
    public async Task Help_on_the_command_line_prints_the_usage_and_a_bad_server_address_exits_1()
    {
        await using var help = ConsoleClientProcess.Start("--help");
        (await help.WaitForExitAsync()).Should().Be(0);
        help.Output.Items.Should().Contain(line => line.Contains("--server <url>")).And.Contain(line => line.Contains("--room <room>"));

        await using var bad = ConsoleClientProcess.Start("alice", "--server", "not a url");
        (await bad.WaitForExitAsync()).Should().Be(1);
        bad.Errors.Items.Should().Contain(line => line.Contains("The server address must be an http:// or https:// URL"));
    }
}
