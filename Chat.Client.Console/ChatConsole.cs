using System.Threading.Channels;
using Chat.Client.Console.Input;
using Chat.Client.Console.Rendering;
using Chat.Client.Console.Chatting;

namespace Chat.Client.Console;

/// <summary>
/// Puts the pieces together for this process: a line editor when a person sits at a terminal, plain
/// lines when input or output is piped; then connects and runs the conversation.
/// </summary>
internal static class ChatConsole
{
    public static async Task<int> RunAsync(ConsoleOptions options, CancellationToken cancellationToken)
    {
        var interactive = !System.Console.IsInputRedirected && !System.Console.IsOutputRedirected;
        var renderer = new AnsiRenderer(AnsiRenderer.ShouldUseColors(System.Console.IsOutputRedirected, Environment.GetEnvironmentVariable("NO_COLOR")));
        var formatter = new ChatFormatter(TimeZoneInfo.Local);
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        using var signals = StopSignals.Register(stop);

        // The input is read from the start, so lines typed while connecting are kept; the conversation, once
        // there, hears about each line as it is entered and about each keystroke.
        Conversation? conversation = null;
        LineEditor? editor = null;
        IChatScreen screen;
        ChannelReader<string> input;
        if (interactive)
        {
            var terminal = new SystemTerminal();
            editor = new LineEditor(terminal, renderer);
            editor.Edited += text => conversation?.NoteEdited(text);
            editor.ShowPrompt(formatter.Prompt(options.Nickname, room: null));
            editor.Start();
            input = InputLines.FromKeyboard(terminal, editor, stop.Cancel, line => conversation?.NoteEntered(line));
            screen = editor;
        }
        else
        {
            screen = new PlainScreen(System.Console.Out, renderer);
            input = InputLines.FromReader(System.Console.In, line => conversation?.NoteEntered(line));
        }

        try
        {
            var opener = new ConnectionOpener(screen, formatter, System.Console.Error);
            await using var client = await opener.OpenAsync(options, interactive ? input : null, stop.Token);
            if (client is null)
            {
                return ExitCodes.Failure;
            }

            conversation = new Conversation(client, screen, formatter, TimeProvider.System);
            return await conversation.RunAsync(input, options.Rooms, stop.Token);
        }
        finally
        {
            editor?.Stop();
        }
    }
}
