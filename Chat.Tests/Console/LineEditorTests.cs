using Chat.Client.Console.Input;
using Chat.Client.Console.Rendering;

namespace Chat.Tests.Console;

public sealed class LineEditorTests
{
    private const string Prompt = "alice@general> ";

    [Fact]
    public void An_incoming_message_is_drawn_above_the_partial_input_which_stays_where_it_was()
    {
        var (terminal, editor) = Start(width: 60);
        editor.ShowPrompt(StyledText.Of(Prompt));
        editor.Show(StyledText.Of("[SYSTEM] Joined room: general (2 users: alice, bob)"));
        Type(editor, "hello wor");

        editor.Show(StyledText.Of("12:01 [general] bob: are you there?"));

        terminal.Lines.Should().Equal(
            "[SYSTEM] Joined room: general (2 users: alice, bob)",
            "12:01 [general] bob: are you there?",
            Prompt + "hello wor");
        (terminal.Row, terminal.Column).Should().Be((2, Prompt.Length + "hello wor".Length));

        Type(editor, "ld");
        editor.Handle(Key(ConsoleKey.Enter, '\r')).Should().Be(new EditorResult(EditorAction.Submit, "hello world"));
        terminal.Lines[^1].Should().Be(Prompt.TrimEnd(), "the sent line leaves the input line empty");
    }

    [Fact]
    public void Input_wrapped_over_several_rows_is_erased_and_drawn_again_whole_with_the_cursor_in_place()
    {
        var (terminal, editor) = Start(width: 20);
        editor.ShowPrompt(StyledText.Of("> "));
        var input = "the quick brown fox jumps over the lazy dog again";
        Type(editor, input);
        for (var i = 0; i < 10; i++)
        {
            editor.Handle(Key(ConsoleKey.LeftArrow));
        }

        editor.Show(StyledText.Of("first incoming"));
        editor.Show(StyledText.Of("second incoming"));

        var drawn = "> " + input;
        terminal.Lines.Should().Equal("first incoming", "second incoming", drawn[..20], drawn[20..40], drawn[40..]);
        var cursor = drawn.Length - 10;
        (terminal.Row, terminal.Column).Should().Be((2 + (cursor / 20), cursor % 20));
    }

    [Fact]
    public void Input_that_exactly_fills_its_rows_keeps_the_cursor_on_the_next_row()
    {
        var (terminal, editor) = Start(width: 10);
        editor.ShowPrompt(StyledText.Of("> "));
        Type(editor, "12345678");

        (terminal.Row, terminal.Column).Should().Be((1, 0));
        editor.Show(StyledText.Of("incoming"));

        terminal.Lines.Should().Equal("incoming", "> 12345678");
        (terminal.Row, terminal.Column).Should().Be((2, 0));
        Type(editor, "9");
        terminal.Lines.Should().Equal("incoming", "> 12345678", "9");
    }

    [Fact]
    public void A_status_line_sits_above_the_prompt_and_goes_away_without_a_trace()
    {
        var (terminal, editor) = Start(width: 40);
        editor.ShowPrompt(StyledText.Of("> "));
        editor.Show(StyledText.Of("earlier line"));
        Type(editor, "abc");

        editor.ShowStatus(StyledText.Of("bob is typing…", TextStyle.Typing));
        terminal.Lines.Should().Equal("earlier line", "bob is typing…", "> abc");
        (terminal.Row, terminal.Column).Should().Be((2, 5));

        editor.Show(StyledText.Of("12:02 [general] bob: hi"));
        terminal.Lines.Should().Equal("earlier line", "12:02 [general] bob: hi", "bob is typing…", "> abc");

        editor.ShowStatus(null);
        terminal.Lines.Should().Equal("earlier line", "12:02 [general] bob: hi", "> abc");
        (terminal.Row, terminal.Column).Should().Be((2, 5));
    }

    [Fact]
    public void A_status_longer_than_the_width_is_cut_so_it_never_wraps()
    {
        var (terminal, editor) = Start(width: 12);
        editor.ShowPrompt(StyledText.Of("> "));

        editor.ShowStatus(StyledText.Of("alice and bob are typing…"));

        terminal.Lines.Should().Equal("alice and b", ">");
    }

    [Fact]
    public void A_message_of_several_lines_is_written_above_without_disturbing_the_input()
    {
        var (terminal, editor) = Start(width: 40);
        editor.ShowPrompt(StyledText.Of("> "));
        Type(editor, "draft");

        editor.Show(StyledText.Of("12:03 [general] bob: line one\n      line two"));

        terminal.Lines.Should().Equal("12:03 [general] bob: line one", "      line two", "> draft");
    }

    [Fact]
    public void Colours_reach_the_terminal_but_take_no_columns()
    {
        var terminal = new VirtualTerminal(30);
        var editor = new LineEditor(terminal, new AnsiRenderer(colors: true));
        editor.Start();
        editor.ShowPrompt(StyledText.Of("alice> ", TextStyle.Prompt));
        Type(editor, "hi");

        editor.Show(StyledText.Of("[ERROR] no", TextStyle.Error));

        terminal.Written.Should().Contain("\e[1;31m[ERROR] no\e[0m");
        terminal.Lines.Should().Equal("[ERROR] no", "alice> hi");
        (terminal.Row, terminal.Column).Should().Be((1, 9));
    }

    [Fact]
    public void Editing_keys_move_insert_delete_and_recall_earlier_lines()
    {
        var (_, editor) = Start(width: 80);
        Type(editor, "helo");
        editor.Handle(Key(ConsoleKey.LeftArrow));
        Type(editor, "l");
        editor.Text.Should().Be("hello");

        editor.Handle(Key(ConsoleKey.Home));
        editor.Handle(Key(ConsoleKey.Delete));
        Type(editor, "H");
        editor.Handle(Key(ConsoleKey.End));
        editor.Handle(Key(ConsoleKey.Backspace, '\b'));
        editor.Text.Should().Be("Hell");
        Type(editor, "o there world");
        editor.Handle(Ctrl('W'));
        editor.Text.Should().Be("Hello there ");
        editor.Handle(Ctrl('A'));
        editor.CursorPosition.Should().Be(0);
        editor.Handle(Ctrl('E'));
        editor.Handle(Ctrl('U'));
        editor.Text.Should().BeEmpty();

        Type(editor, "first");
        editor.Handle(Key(ConsoleKey.Enter, '\r'));
        Type(editor, "second");
        editor.Handle(Key(ConsoleKey.Enter, '\r'));
        Type(editor, "draft");
        editor.Handle(Key(ConsoleKey.UpArrow));
        editor.Text.Should().Be("second");
        editor.Handle(Key(ConsoleKey.UpArrow));
        editor.Handle(Key(ConsoleKey.UpArrow));
        editor.Text.Should().Be("first", "recall stops at the oldest line");
        editor.Handle(Key(ConsoleKey.DownArrow));
        editor.Handle(Key(ConsoleKey.DownArrow));
        editor.Text.Should().Be("draft", "coming back down restores the unfinished line");
    }

    [Fact]
    public void Ctrl_D_ends_the_input_only_on_an_empty_line_and_Ctrl_C_as_a_key_interrupts()
    {
        var (_, editor) = Start(width: 80);
        Type(editor, "ab");
        editor.Handle(Key(ConsoleKey.LeftArrow));

        editor.Handle(Ctrl('D')).Action.Should().Be(EditorAction.None);
        editor.Text.Should().Be("a", "Ctrl+D deletes under the cursor while there is text");
        editor.Handle(Key(ConsoleKey.Backspace, '\b'));
        editor.Handle(Ctrl('D')).Action.Should().Be(EditorAction.EndOfInput);
        editor.Handle(Ctrl('C')).Action.Should().Be(EditorAction.Interrupt);
    }

    [Fact]
    public void Only_typed_characters_count_as_typing()
    {
        var (_, editor) = Start(width: 80);
        var edits = new List<string>();
        editor.Edited += edits.Add;

        Type(editor, "hi");
        editor.Handle(Key(ConsoleKey.LeftArrow));
        editor.Handle(Key(ConsoleKey.Backspace, '\b'));
        editor.Handle(Key(ConsoleKey.Tab, '\t'));

        edits.Should().Equal("h", "hi");
    }

    [Fact]
    public void A_password_line_is_never_drawn_reported_as_typing_or_recalled()
    {
        var (terminal, editor) = Start(width: 80);
        var edits = new List<string>();
        editor.Edited += edits.Add;
        Type(editor, "earlier");
        editor.Handle(Key(ConsoleKey.Enter, '\r'));
        edits.Clear();

        editor.HideNextLine();
        editor.ShowPrompt(StyledText.Of("Password for alice: "));
        Type(editor, "hunter2hunter2");

        terminal.Lines[^1].Should().Be("Password for alice:");
        (terminal.Row, terminal.Column).Should().Be((terminal.Lines.Count - 1, "Password for alice: ".Length));
        edits.Should().BeEmpty("typing notices would tell the room how long the password is");
        editor.Handle(Key(ConsoleKey.Enter, '\r')).Should().Be(new EditorResult(EditorAction.Submit, "hunter2hunter2"));

        editor.ShowPrompt(StyledText.Of(Prompt));
        Type(editor, "next");
        terminal.Lines[^1].Should().Be(Prompt + "next", "only the one line is hidden");
        editor.Handle(Key(ConsoleKey.Escape));
        editor.Handle(Key(ConsoleKey.UpArrow));
        editor.Text.Should().Be("earlier", "the password is not kept for recall");
    }

    private static (VirtualTerminal Terminal, LineEditor Editor) Start(int width)
    {
        var terminal = new VirtualTerminal(width);
        var editor = new LineEditor(terminal, new AnsiRenderer(colors: false));
        editor.Start();
        return (terminal, editor);
    }

    private static void Type(LineEditor editor, string text)
    {
        foreach (var character in text)
        {
            editor.Handle(new ConsoleKeyInfo(character, character == ' ' ? ConsoleKey.Spacebar : default, shift: false, alt: false, control: false));
        }
    }

    private static ConsoleKeyInfo Key(ConsoleKey key, char character = '\0') => new(character, key, shift: false, alt: false, control: false);

    private static ConsoleKeyInfo Ctrl(char letter) =>
        new((char)(letter - 'A' + 1), ConsoleKey.A + (letter - 'A'), shift: false, alt: false, control: true);
}
