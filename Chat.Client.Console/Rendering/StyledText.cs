using System.Text;

namespace Chat.Client.Console.Rendering;

/// <summary>A line of text in styled pieces. <see cref="ToString"/> is the plain text, as piped output shows it.</summary>
internal sealed class StyledText
{
    private readonly List<(string Text, TextStyle Style)> _spans = [];

    public static StyledText Empty => new();

    public IReadOnlyList<(string Text, TextStyle Style)> Spans => _spans;

    /// <summary>The number of characters, which is the width on the terminal for the text this client shows.</summary>
    public int Length => _spans.Sum(span => span.Text.Length);

    public static StyledText Of(string text, TextStyle style = TextStyle.Plain) => new StyledText().Append(text, style);

    public StyledText Append(string text, TextStyle style = TextStyle.Plain)
    {
        if (text.Length > 0)
        {
            _spans.Add((text, style));
        }

        return this;
    }

    /// <summary>The first <paramref name="width"/> characters, so a status line never wraps.</summary>
    public StyledText Truncate(int width)
    {
        var result = new StyledText();
        var left = Math.Max(width, 0);
        foreach (var (text, style) in _spans)
        {
            if (left == 0)
            {
                break;
            }

            result.Append(text.Length <= left ? text : text[..left], style);
            left -= Math.Min(text.Length, left);
        }

        return result;
    }

    public override string ToString()
    {
        var builder = new StringBuilder();
        foreach (var (text, _) in _spans)
        {
            builder.Append(text);
        }

        return builder.ToString();
    }
}
