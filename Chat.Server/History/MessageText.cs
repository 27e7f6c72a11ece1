using System.Text;
using Microsoft.AspNetCore.SignalR;

namespace Chat.Server.History;

/// <summary>
/// Message text: line breaks are kept (as '\n') and tabs too; every other control character is removed
/// (format characters stay: emoji sequences need the zero-width joiner); the result is trimmed and must be
/// 1-2,000 characters (<c>Chat:Limits:MaxTextLength</c>).
/// </summary>
public static class MessageText
{
    public const int DefaultMaxLength = 2000;

    public const string EmptyRule = "A message needs some text.";

    public static string TooLongRule(int maxLength) => $"Messages may be at most {maxLength:N0} characters.";

    public static string Parse(string? input, int maxLength = DefaultMaxLength)
    {
        if (input is null)
        {
            throw new HubException(EmptyRule);
        }

        // Checked before cleaning too, so a huge paste is refused without copying it.
        if (input.Length > maxLength * 4)
        {
            throw new HubException(TooLongRule(maxLength));
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

        return text.Length > maxLength ? throw new HubException(TooLongRule(maxLength)) : text;
    }
}
