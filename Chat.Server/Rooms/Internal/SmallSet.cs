using System.Collections;

namespace Chat.Server.Rooms.Internal;

/// <summary>
/// A set of ordinal strings that nearly always holds one: a user's connections, a connection's rooms.
/// One member lives in a field and a <see cref="HashSet{T}"/> is made only for a second, so an idle
/// user in one room costs two small objects instead of two hash sets (about 170 bytes each). Not
/// thread-safe: the registry's lock guards it.
/// </summary>
internal sealed class SmallSet : IEnumerable<string>
{
    private string? _one;
    private HashSet<string>? _many;

    public int Count => _many?.Count ?? (_one is null ? 0 : 1);

    public bool Contains(string item) =>
        _many?.Contains(item) ?? string.Equals(_one, item, StringComparison.Ordinal);

    public bool Add(string item)
    {
        if (_many is not null)
        {
            return _many.Add(item);
        }

        if (_one is null)
        {
            _one = item;
            return true;
        }

        if (string.Equals(_one, item, StringComparison.Ordinal))
        {
            return false;
        }

        _many = new HashSet<string>(StringComparer.Ordinal) { _one, item };
        _one = null;
        return true;
    }

    public bool Remove(string item)
    {
        if (_many is null)
        {
            if (!string.Equals(_one, item, StringComparison.Ordinal))
            {
                return false;
            }

            _one = null;
            return true;
        }

        if (!_many.Remove(item))
        {
            return false;
        }

        // Back to one member (the second tab closed): back to the field.
        if (_many.Count <= 1)
        {
            _one = _many.FirstOrDefault();
            _many = null;
        }

        return true;
    }

    public IEnumerator<string> GetEnumerator()
    {
        IEnumerable<string> members = _many ?? (_one is null ? [] : [_one]);
        return members.GetEnumerator();
    }

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
