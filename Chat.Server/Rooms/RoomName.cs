using Chat.Protocol;
using Microsoft.AspNetCore.SignalR;

namespace Chat.Server.Rooms;

/// <summary>
/// Room names: 1-32 letters, digits, '-' and '_'. They are case-insensitive, so the canonical form is
/// lower case; a leading '#' (as IRC users type it) is dropped.
/// </summary>
public static class RoomName
{
    public const int MaxLength = 32;

    public const string Rule = "Room names may use letters, digits, - and _ (1-32 characters).";

    public static bool TryNormalize(string? input, out string name)
    {
        name = string.Empty;
        if (input is null)
        {
            return false;
        }

        var candidate = RoomNames.Canonicalize(input);
        if (candidate.Length is 0 or > MaxLength)
        {
            return false;
        }

        foreach (var c in candidate)
        {
            if (!(char.IsLetterOrDigit(c) || c is '-' or '_'))
            {
                return false;
            }
        }

        name = candidate;
        return true;
    }

    /// <summary>The canonical name, or a <see cref="HubException"/> that tells the caller the rule.</summary>
    public static string Parse(string? input) =>
        TryNormalize(input, out var name) ? name : throw new HubException(Rule);
}
