namespace Chat.Client.Console.Rendering;

/// <summary>
/// Output for pipes and scripts: one line per event, nothing redrawn. Passing states (typing, countdowns)
/// are left out because a printed line cannot be taken back.
/// </summary>
internal sealed class PlainScreen(TextWriter output, AnsiRenderer renderer) : IChatScreen
{
    private readonly Lock _gate = new();

    public bool HasStatusLine => false;

    public void Show(StyledText line)
    {
        lock (_gate)
        {
            output.WriteLine(renderer.Render(line));
            output.Flush();
        }
    }

    public void ShowStatus(StyledText? status)
    {
    }

    public void ShowPrompt(StyledText prompt)
    {
    }
}
