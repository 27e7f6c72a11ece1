using Chat.Tests.Infrastructure;

namespace Chat.Tests.Console;

/// <summary>The console client in a real terminal (tmux), where the line editor's redrawing has to hold up.</summary>
public sealed class TerminalTests(ChatServerFixture fixture) : IClassFixture<ChatServerFixture>
{
    private const int Width = 120;
    private const int Height = 24;

    [TmuxFact]
    public async Task Incoming_messages_are_drawn_above_the_line_being_typed_which_survives_them()
    {
        var (room, alice) = (Names.Room(), Names.User("alice"));
        await using var bob = await TestClient.ConnectAsync(fixture.Address, Names.User("bob"));
        await bob.Client.JoinAsync(room);
        await using var terminal = await TmuxTerminal.StartAsync(Width, Height, alice, "--server", fixture.Address.ToString(), "--room", room);
        var prompt = $"{alice}@{room}> ";
        await terminal.WaitForScreenAsync(screen => screen.Count > 0 && screen[^1] == prompt.TrimEnd(), "the prompt");

        await terminal.TypeAsync("half a sent");
        await terminal.WaitForScreenAsync(screen => screen[^1] == prompt + "half a sent", "the partial input");
        await bob.Typing.WaitForAsync(presence => presence.Nickname == alice && presence.Room == room);

        await bob.Client.SendAsync(room, "a message from bob");
        var screen = await terminal.WaitForScreenAsync(rows => rows.Any(row => row.EndsWith($"[{room}] {bob.Nickname}: a message from bob")), "bob's message");
        screen[^2].Should().EndWith($"[{room}] {bob.Nickname}: a message from bob");
        screen[^1].Should().Be(prompt + "half a sent");
        screen.Should().ContainSingle(row => row.Contains("half a sent"), "the old input line is erased, not left behind");
        (await terminal.CursorAsync()).Should().Be((prompt.Length + "half a sent".Length, screen.Count - 1));

        await bob.Client.TypingAsync(room);
        screen = await terminal.WaitForScreenAsync(rows => rows.Count > 1 && rows[^2] == $"{bob.Nickname} is typing…", "bob's typing notice above the prompt");
        screen[^1].Should().Be(prompt + "half a sent");

        await terminal.TypeAsync("ence");
        await terminal.PressAsync("Enter");
        (await bob.Messages.WaitForAsync(message => message.Sender == alice)).Text.Should().Be("half a sentence");
        await terminal.WaitForScreenAsync(rows => rows[^1] == prompt.TrimEnd() && rows.Any(row => row.EndsWith($"{alice}: half a sentence")), "the sent line in the conversation");

        await terminal.TypeAsync("/quit");
        await terminal.PressAsync("Enter");
        (await terminal.WaitForExitAsync()).Should().Be(0);
        await bob.Leaves.WaitForAsync(presence => presence.Nickname == alice && presence.Room == room);
    }

    [TmuxFact]
    public async Task A_taken_nickname_is_explained_and_another_one_asked_for()
    {
        var (taken, other) = (Names.User("ivy"), Names.User("ivy"));
        await using var holder = await TestClient.ConnectAsync(fixture.Address, taken);
        await using var terminal = await TmuxTerminal.StartAsync(Width, Height, taken, "--server", fixture.Address.ToString());

        await terminal.WaitForScreenAsync(
            rows => rows.Contains($"[ERROR] The nickname {taken} is already in use. Choose another one.") && rows[^1] == "Choose another nickname:",
            "the refusal and the question");
        await terminal.TypeAsync(other);
        await terminal.PressAsync("Enter");

        await terminal.WaitForScreenAsync(rows => rows.Any(row => row.StartsWith("[SYSTEM] Connected to ") && row.Contains($" as {other}.")) && rows[^1] == $"{other}>", "the connection under the new name");
        await terminal.PressAsync("C-c");
        (await terminal.WaitForExitAsync()).Should().Be(0, "Ctrl+C ends the chat cleanly");
    }
}
