namespace Chat.Tests.Console;

/// <summary>A test that needs tmux for a real terminal; reported as skipped, not passed, where tmux is missing.</summary>
public sealed class TmuxFactAttribute : FactAttribute
{
    public TmuxFactAttribute()
    {
        if (!TmuxTerminal.IsAvailable)
        {
            Skip = "tmux is not installed; the real-terminal check needs it.";
        }
    }
}
