using System.Collections.Frozen;

namespace Chat.Server.Rooms;

/// <summary>
/// Letters from other scripts that look like Latin ones (after NFKC), mapped to the Latin letter, so
/// <c>аdmin</c> (Cyrillic а) and <c>admin</c> have the same nickname key. This covers the Cyrillic,
/// Greek and Armenian look-alikes of the Unicode confusables list that appear in lower-case text; it is
/// applied after lower-casing.
/// </summary>
internal static class Confusables
{
    private static readonly FrozenDictionary<char, char> LatinLookAlikes = new Dictionary<char, char>
    {
        // Cyrillic
        ['а'] = 'a', ['в'] = 'b', ['с'] = 'c', ['ԁ'] = 'd', ['е'] = 'e', ['ё'] = 'e', ['һ'] = 'h', ['і'] = 'i', ['ї'] = 'i',
        ['ј'] = 'j', ['к'] = 'k', ['ӏ'] = 'l', ['м'] = 'm', ['н'] = 'h', ['о'] = 'o', ['р'] = 'p', ['ԛ'] = 'q', ['ѕ'] = 's',
        ['т'] = 't', ['у'] = 'y', ['ԝ'] = 'w', ['х'] = 'x', ['ү'] = 'y', ['ɡ'] = 'g', ['ԍ'] = 'g', ['ь'] = 'b', ['п'] = 'n',
        // Greek
        ['α'] = 'a', ['β'] = 'b', ['ε'] = 'e', ['η'] = 'n', ['ι'] = 'i', ['κ'] = 'k', ['ν'] = 'v', ['ο'] = 'o', ['ρ'] = 'p',
        ['τ'] = 't', ['υ'] = 'u', ['χ'] = 'x', ['γ'] = 'y', ['ϲ'] = 'c', ['ϳ'] = 'j',
        // Armenian
        ['օ'] = 'o', ['ս'] = 'u', ['ց'] = 'g', ['հ'] = 'h', ['ո'] = 'n', ['զ'] = 'q',
        // Latin letters that read as others
        ['ı'] = 'i', ['ȷ'] = 'j', ['ſ'] = 's',
    }.ToFrozenDictionary();

    public static string Skeleton(string lowerCase)
    {
        var changed = false;
        Span<char> buffer = lowerCase.Length <= 64 ? stackalloc char[lowerCase.Length] : new char[lowerCase.Length];
        for (var i = 0; i < lowerCase.Length; i++)
        {
            var c = lowerCase[i];
            if (LatinLookAlikes.TryGetValue(c, out var latin))
            {
                c = latin;
                changed = true;
            }

            buffer[i] = c;
        }

        return changed ? new string(buffer) : lowerCase;
    }
}
