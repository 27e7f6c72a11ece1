using System.Threading.Channels;

namespace Chat.Client.Console.Input;

/// <summary>
/// The lines the user enters, from the keyboard or a pipe, as one queue. Reading never waits for the
/// chat: lines entered while a send waits for a reconnect queue up here, in order.
/// </summary>
internal static class InputLines
{
    /// <summary>Lines from a pipe or file, until it ends.</summary>
    public static ChannelReader<string> FromReader(TextReader reader, Action<string> entered)
    {
        var channel = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        _ = Task.Run(async () =>
        {
            try
            {
                while (await reader.ReadLineAsync() is { } line)
                {
                    entered(line);
                    channel.Writer.TryWrite(line);
                }
            }
            catch (IOException)
            {
                // A broken input pipe ends the input like its end does.
            }
            finally
            {
                channel.Writer.TryComplete();
            }
        });
        return channel.Reader;
    }

    /// <summary>
    /// Keys from the terminal through the line editor, on a thread of their own because reading a key
    /// blocks. Ctrl+D on an empty line ends the input; Ctrl+C, if it arrives as a key, calls <paramref name="interrupt"/>.
    /// </summary>
    public static ChannelReader<string> FromKeyboard(ITerminal terminal, LineEditor editor, Action interrupt, Action<string> entered)
    {
        var channel = Channel.CreateUnbounded<string>(new UnboundedChannelOptions { SingleReader = true, SingleWriter = true });
        var thread = new Thread(() =>
        {
            try
            {
                while (true)
                {
                    var result = editor.Handle(terminal.ReadKey());
                    switch (result.Action)
                    {
                        case EditorAction.Submit:
                            entered(result.Line);
                            channel.Writer.TryWrite(result.Line);
                            break;
                        case EditorAction.EndOfInput:
                            return;
                        case EditorAction.Interrupt:
                            interrupt();
                            break;
                    }
                }
            }
            catch (InvalidOperationException)
            {
                // The terminal went away (stdin closed): nothing more will be typed.
            }
            finally
            {
                channel.Writer.TryComplete();
            }
        })
        {
            IsBackground = true,
            Name = "Keyboard",
        };
        thread.Start();
        return channel.Reader;
    }
}
