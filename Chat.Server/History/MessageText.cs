using System.Text;
using Microsoft.AspNetCore.SignalR;

namespace Chat.Server.History;

/// <summary>
/// Message text: line breaks are kept (as '\n') and tabs too; every other control character is removed
/// (format characters stay: emoji sequences need the zero-width joiner); the result is trimmed and must be
/// 1-2,000 characters.
/// </summary>
public static class MessageText
{
    public const int MaxLength = 2000;

    public const string EmptyRule = "A message needs some text.";

    public static readonly string TooLongRule = $"Messages may be at most {MaxLength:N0} characters.";

    public static string Parse(string? input)
    {
        if (input is null)
        {
            throw new HubException(EmptyRule);
        }

        // Checked before cleaning too, so a huge paste is refused without copying it.
        if (input.Length > MaxLength * 4)
        {
            throw new HubException(TooLongRule);
        }

        var builder = new StringBuilder(input.Length);
        for (var i = 0; i < input.Length; i++)
        {
            var c = input[i];
            if (c == '\r')
            {
                if (i + 1 < input.Length && input[i + 1] == '\n')
                {
                    continue;
                }

                c = '\n';
            }

            if (c is '\n' or '\t' || !char.IsControl(c))
            {
                builder.Append(c);
            }
        }

        var text = builder.ToString().Trim();
        if (text.Length == 0)
        {
            throw new HubException(EmptyRule);
        }

        return text.Length > MaxLength ? throw new HubException(TooLongRule) : text;
    }
}
