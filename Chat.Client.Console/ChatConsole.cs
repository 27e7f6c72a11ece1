using System.Threading.Channels;
using Chat.Client.Console.Input;
using Chat.Client.Console.Rendering;
using Chat.Client.Console.Chatting;

namespace Chat.Client.Console;

/// <summary>
/// Puts the pieces together for this process: a line editor when a person sits at a terminal, plain
/// lines when input or output is piped; then signs in or connects as a guest and runs the conversation.
/// </summary>
internal static class ChatConsole
{
    /// <param name="passwordFromStdin">The first line of the input is the password (<c>--password-stdin</c>).</param>
    public static async Task<int> RunAsync(ConsoleOptions options, bool passwordFromStdin, CancellationToken cancellationToken)
    {
        var interactive = !System.Console.IsInputRedirected && !System.Console.IsOutputRedirected;
        if (await PasswordOptionsAsync(options, passwordFromStdin, interactive, cancellationToken) is not { } signIn)
        {
            return ExitCodes.Failure;
        }

        options = signIn;
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
            var opener = new ConnectionOpener(screen, formatter, System.Console.Error, editor is null ? null : editor.HideNextLine);
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

    /// <summary>
    /// Where the password comes from: the first line of the input, <c>$CHAT_PASSWORD</c>, or a prompt
    /// (<c>--sign-in</c>) once the line editor is up. Null, after saying why, when the request cannot work.
    /// </summary>
    private static async Task<ConsoleOptions?> PasswordOptionsAsync(ConsoleOptions options, bool passwordFromStdin, bool interactive, CancellationToken cancellationToken)
    {
        string? password = null;
        if (passwordFromStdin)
        {
            password = await System.Console.In.ReadLineAsync(cancellationToken);
            if (string.IsNullOrEmpty(password))
            {
                await System.Console.Error.WriteLineAsync("--password-stdin expects the password on the first line of the input.");
                return null;
            }
        }
        else if (Environment.GetEnvironmentVariable(ConsoleOptions.PasswordVariable) is { Length: > 0 } fromEnvironment)
        {
            password = fromEnvironment;
        }

        if ((password is not null || options.AskPassword) && options.Nickname is null)
        {
            await System.Console.Error.WriteLineAsync("Signing in needs your username first, e.g.: chat alice --sign-in");
            return null;
        }

        if (options.AskPassword && password is null && !interactive)
        {
            await System.Console.Error.WriteLineAsync($"--sign-in asks for the password at a terminal; without one, pass it with --password-stdin or ${ConsoleOptions.PasswordVariable}.");
            return null;
        }

        return options with { Password = password, AskPassword = options.AskPassword && password is null };
    }
}
