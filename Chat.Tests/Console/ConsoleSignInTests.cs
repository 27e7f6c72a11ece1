using Chat.Client;
using Chat.Tests.Infrastructure;

namespace Chat.Tests.Console;

/// <summary>
/// The console client signing in as scripts do (<c>--password-stdin</c>, <c>CHAT_PASSWORD</c>) and an
/// operator running the room from it, with real client processes against a real server.
/// </summary>
public sealed class ConsoleSignInTests(ChatServerFixture fixture) : IClassFixture<ChatServerFixture>
{
    private const string Password = TestClient.DefaultPassword;

    [Fact]
    public async Task With_password_stdin_the_first_line_signs_in_and_the_others_see_the_username()
    {
        var (room, alice) = (Names.Room(), Names.User("alice"));
        await CreateAccountAsync(alice);
        await using var watcher = await TestClient.ConnectAsync(fixture.Address, Names.User("watcher"));
        await watcher.Client.JoinAsync(room);

        await using var console = ConsoleClientProcess.Start(fixture.Address, alice.ToUpperInvariant(), "--password-stdin", "--room", room);
        await console.SendAsync(Password);

        await console.WaitForLineAsync($@"^\[SYSTEM\] Connected to .* as {alice}, signed in\. ");
        await watcher.Joins.WaitForAsync(presence => presence.Room == room && presence.Nickname == alice);
        await console.SendAsync("hello as myself");
        (await watcher.Messages.WaitForAsync(message => message.Sender == alice)).Text.Should().Be("hello as myself");
        console.CloseInput();
        (await console.WaitForExitAsync()).Should().Be(0, console.Transcript);
        console.Output.Items.Should().NotContain(line => line.Contains(Password, StringComparison.Ordinal));
    }

    [Fact]
    public async Task CHAT_PASSWORD_signs_a_script_in()
    {
        var (room, bot) = (Names.Room(), Names.User("bot"));
        await CreateAccountAsync(bot);
        await using var watcher = await TestClient.ConnectAsync(fixture.Address, Names.User("watcher"));
        await watcher.Client.JoinAsync(room);

        await using var script = ConsoleClientProcess.StartWithPassword(fixture.Address, bot, Password);
        await script.SendAsync($"/join {room}\nbeep\n/quit");

        (await script.WaitForExitAsync()).Should().Be(0, script.Transcript);
        script.Output.Items.Should().Contain(line => line.StartsWith("[SYSTEM] Connected to ") && line.Contains($" as {bot}, signed in. "), script.Transcript);
        (await watcher.Messages.WaitForAsync(message => message.Sender == bot)).Text.Should().Be("beep");
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task A_wrong_password_exits_1_with_the_servers_sentence(bool fromStdin)
    {
        var carol = Names.User("carol");
        await CreateAccountAsync(carol);
        var sentence = await SentenceForWrongPasswordAsync(carol);

        await using var console = fromStdin
            ? ConsoleClientProcess.Start(fixture.Address, carol, "--password-stdin")
            : ConsoleClientProcess.StartWithPassword(fixture.Address, carol, "not the password");
        if (fromStdin)
        {
            await console.SendAsync("not the password");
        }

        (await console.WaitForExitAsync()).Should().Be(1, console.Transcript);
        console.Errors.Items.Should().Equal(sentence);
    }

    [Fact]
    public async Task Signing_in_without_a_username_or_a_prompt_without_a_terminal_exits_1_saying_what_to_do()
    {
        await using var nameless = ConsoleClientProcess.Start("--server", fixture.Address.ToString(), "--password-stdin");
        await nameless.SendAsync(Password);
        (await nameless.WaitForExitAsync()).Should().Be(1, nameless.Transcript);
        nameless.Errors.Items.Should().Equal("Signing in needs your username first, e.g.: chat alice --sign-in");

        await using var piped = ConsoleClientProcess.Start(fixture.Address, Names.User("dave"), "--sign-in");
        (await piped.WaitForExitAsync()).Should().Be(1, piped.Transcript);
        piped.Errors.Items.Should().Equal("--sign-in asks for the password at a terminal; without one, pass it with --password-stdin or $CHAT_PASSWORD.");
    }

    [Fact]
    public async Task An_operator_at_the_console_sets_the_topic_and_kicks_and_the_other_console_shows_both()
    {
        var (room, owner, guest) = (Names.Room(), Names.User("owner"), Names.User("guest"));
        await CreateAccountAsync(owner);
        await using var ownerConsole = ConsoleClientProcess.StartWithPassword(fixture.Address, owner, Password, "--room", room);
        await ownerConsole.WaitForExactLineAsync($"[SYSTEM] Joined room: {room} (1 user: @{owner} (owner))");
        await using var guestConsole = ConsoleClientProcess.Start(fixture.Address, guest, "--room", room);
        await guestConsole.WaitForLineAsync($@"^\[SYSTEM\] Joined room: {room} \(2 users: ");

        await ownerConsole.SendAsync("/topic Be kind, or be kicked");
        await guestConsole.WaitForExactLineAsync($"[SYSTEM] {owner} set the topic of #{room}: Be kind, or be kicked");
        await ownerConsole.WaitForExactLineAsync($"[SYSTEM] {owner} set the topic of #{room}: Be kind, or be kicked");

        await guestConsole.SendAsync("/kick " + owner);
        await guestConsole.WaitForExactLineAsync($"[ERROR] Only operators of #{room} can kick.");

        await ownerConsole.SendAsync($"/kick {guest} flooding");
        await guestConsole.WaitForExactLineAsync($"[SYSTEM] You were kicked from #{room} by {owner} (flooding)");
        await ownerConsole.WaitForExactLineAsync($"[SYSTEM] {guest} was kicked from #{room} by {owner} (flooding)");

        // The kicked user may come back (a kick is no ban), and sees the topic on joining.
        await guestConsole.SendAsync($"/join {room}");
        await guestConsole.WaitForExactLineAsync($"[{room}] Topic: Be kind, or be kicked");
        await guestConsole.SendAsync("/who");
        await guestConsole.WaitForLineAsync($@"^\[SYSTEM\] {room} \(2 users: .*@{owner} \(owner\)");
    }

    [Fact]
    public async Task Help_lists_the_operators_commands()
    {
        await using var console = ConsoleClientProcess.Start(fixture.Address, Names.User("erin"));

        await console.SendAsync("/help");

        foreach (var usage in new[] { "/join <room> [key]", "/topic [text]", "/kick <nick> [reason]", "/ban <nick>", "/unban <nick>", "/op <nick>", "/deop <nick>", "/voice <nick>", "/devoice <nick>", "/invite <nick>", "/mode <+i|-i|+k key|-k|+m|-m>" })
        {
            await console.WaitForLineAsync($"^  {System.Text.RegularExpressions.Regex.Escape(usage)} +[A-Z]");
        }
    }

    [TmuxFact]
    public async Task At_a_terminal_a_registered_name_asks_for_its_password_and_never_shows_it()
    {
        var frank = Names.User("frank");
        await CreateAccountAsync(frank);
        await using var terminal = await TmuxTerminal.StartAsync(120, 24, frank, "--server", fixture.Address.ToString());

        await terminal.WaitForScreenAsync(
            rows => rows.Any(row => row.StartsWith("[ERROR] ") && row.Contains("registered")) && rows[^1] == $"Password for {frank} (Enter to choose another nickname):",
            "the refusal and the password prompt");
        await terminal.TypeAsync("a wrong password");
        await terminal.PressAsync("Enter");
        await terminal.WaitForScreenAsync(rows => rows[^1] == $"Password for {frank}:", "the prompt again after the server's refusal");
        await terminal.TypeAsync(Password);
        (await terminal.ScreenAsync())[^1].Should().Be($"Password for {frank}:", "nothing typed at a password prompt is drawn");
        await terminal.PressAsync("Enter");

        var screen = await terminal.WaitForScreenAsync(
            rows => rows.Any(row => row.StartsWith("[SYSTEM] Connected to ") && row.Contains($" as {frank}, signed in.")) && rows[^1] == $"{frank}>",
            "the signed-in connection");
        screen.Should().NotContain(row => row.Contains(Password) || row.Contains("a wrong password"));
        await terminal.TypeAsync("/quit");
        await terminal.PressAsync("Enter");
        (await terminal.WaitForExitAsync()).Should().Be(0);
    }

    private Task CreateAccountAsync(string username) =>
        ChatAccounts.CreateAsync(fixture.Address, new ChatCredentials(username, Password)).WaitAsync(EventRecorder<string>.DefaultTimeout);

    private async Task<string> SentenceForWrongPasswordAsync(string username)
    {
        await using var client = TestClient.Create(fixture.Address, credentials: new ChatCredentials(username, "not the password"));
        var refusal = await client.Client.Invoking(c => c.ConnectAsync()).Should().ThrowAsync<ChatConnectionException>();
        return refusal.Which.Message;
    }
}
