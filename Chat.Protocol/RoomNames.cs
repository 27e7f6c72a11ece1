using System.Text;

namespace Chat.Protocol;

/// <summary>
/// The canonical form of a room name, as the server returns it: trimmed, without a leading '#'
/// (as IRC users type it), Unicode NFKC, lower case. Clients use it to recognise a room's events
/// before <c>Join</c> has answered; the server also checks the characters allowed.
/// </summary>
public static class RoomNames
{
    public static string Canonicalize(string name)
    {
        var candidate = name.Trim();
        if (candidate.StartsWith('#'))
        {
            candidate = candidate[1..];
        }

        return candidate.Normalize(NormalizationForm.FormKC).ToLowerInvariant();
    }
}
