using System.Text;

namespace Chat.Client.Console.Rendering;

/// <summary>Turns <see cref="StyledText"/> into what the terminal receives: ANSI colours, or plain text when colours are off.</summary>
internal sealed class AnsiRenderer(bool colors)
{
    private const string Reset = "\e[0m";

    public bool Colors { get; } = colors;

    /// <summary>
    /// Colours are for people at a terminal: off when output goes to a file or pipe, or when
    /// <c>NO_COLOR</c> is set to anything (https://no-color.org).
    /// </summary>
    public static bool ShouldUseColors(bool outputRedirected, string? noColor) => !outputRedirected && string.IsNullOrEmpty(noColor);

    public string Render(StyledText text)
    {
        var builder = new StringBuilder();
        foreach (var (span, style) in text.Spans)
        {
            var code = Colors ? CodeOf(style) : null;
            if (code is null)
            {
                builder.Append(span);
            }
            else
            {
                builder.Append("\e[").Append(code).Append('m').Append(span).Append(Reset);
            }
        }

        return builder.ToString();
    }

    private static string? CodeOf(TextStyle style) => style switch
    {
        TextStyle.Time => "2",
        TextStyle.Room => "36",
        TextStyle.Sender => "1",
        TextStyle.OwnSender => "1;32",
        TextStyle.System => "33",
        TextStyle.Error => "1;31",
        TextStyle.Private => "35",
        TextStyle.Connection => "1;33",
        TextStyle.Typing => "2;3",
        TextStyle.Prompt => "1",
        _ => null,
    };
}
