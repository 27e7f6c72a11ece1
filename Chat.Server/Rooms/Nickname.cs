using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.SignalR;

namespace Chat.Server.Rooms;

/// <summary>
/// Nicknames: 1-32 letters, digits, '-', '_' or '.', no spaces (so <c>/msg nick text</c> stays unambiguous).
/// Uniqueness is decided on <see cref="Key"/>: Unicode NFKC, lower case, and look-alike letters of other
/// scripts folded to Latin, so <c>admin</c>, <c>Admin</c> and <c>аdmin</c> (Cyrillic а) cannot coexist.
/// </summary>
public static class Nickname
{
    public const int MaxLength = 32;

    public const string Rule = "Nicknames may use letters, digits, -, _ and . (1-32 characters, no spaces).";

    public static bool TryNormalize(string? input, out string nickname)
    {
        nickname = string.Empty;
        if (input is null)
        {
            return false;
        }

        var candidate = input.Trim().Normalize(NormalizationForm.FormKC);
        if (candidate.Length is 0 or > MaxLength)
        {
            return false;
        }

        foreach (var c in candidate)
        {
            var allowed = c is '-' or '_' or '.'
                || char.IsLetterOrDigit(c)
                || CharUnicodeInfo.GetUnicodeCategory(c) is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark;
            if (!allowed)
            {
                return false;
            }
        }

        nickname = candidate;
        return true;
    }

    public static string Parse(string? input) =>
        TryNormalize(input, out var nickname) ? nickname : throw new HubException(Rule);

    /// <summary>The form two nicknames are compared in: equal keys cannot both be connected.</summary>
    public static string Key(string nickname) =>
        Confusables.Skeleton(nickname.Normalize(NormalizationForm.FormKC).ToLowerInvariant());
}
