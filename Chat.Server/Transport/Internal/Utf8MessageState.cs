using System.Buffers;
using System.Text;
using System.Text.Unicode;

namespace Chat.Server.Transport.Internal;

/// <summary>
/// Checks a text message's payload as UTF-8 (RFC 6455 section 8.1) piece by piece, as the pieces come
/// off the socket: a code point may be cut between two socket reads or two fragments, so the bytes of
/// an unfinished one (at most three) wait here for the next piece.
/// </summary>
internal struct Utf8MessageState
{
    // The unfinished code point's bytes, first byte lowest, and how many there are.
    private uint _pending;
    private int _pendingLength;

    /// <summary>True when no code point is left unfinished: the message may end here.</summary>
    public readonly bool IsComplete => _pendingLength == 0;

    /// <summary>Takes the next piece of the message; false when the bytes so far cannot be UTF-8.</summary>
    public bool Append(ReadOnlySpan<byte> piece)
    {
        if (_pendingLength > 0 && !Finish(ref piece))
        {
            return false;
        }

        var tail = UnfinishedTail(piece);
        if (!Utf8.IsValid(piece[..^tail]))
        {
            return false;
        }

        if (tail == 0)
        {
            return true;
        }

        // Only a start that some continuation could finish may wait (an overlong or surrogate start may not).
        if (Rune.DecodeFromUtf8(piece[^tail..], out _, out _) != OperationStatus.NeedMoreData)
        {
            return false;
        }

        Keep(piece[^tail..]);
        return true;
    }

    /// <summary>
    /// How many bytes at the end of <paramref name="piece"/> begin a code point that does not end in
    /// it. Only the last three bytes can; anything else wrong is left to <see cref="Utf8.IsValid"/>.
    /// </summary>
    private static int UnfinishedTail(ReadOnlySpan<byte> piece)
    {
        for (var back = 1; back <= Math.Min(3, piece.Length); back++)
        {
            var b = piece[^back];
            if ((b & 0xC0) != 0x80)
            {
                var length = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC0 ? 2 : 1;
                return length > back ? back : 0;
            }
        }

        return 0;
    }

    /// <summary>Completes the waiting code point from the start of <paramref name="piece"/> and moves past what it took.</summary>
    private bool Finish(ref ReadOnlySpan<byte> piece)
    {
        Span<byte> sequence = stackalloc byte[4];
        for (var i = 0; i < _pendingLength; i++)
        {
            sequence[i] = (byte)(_pending >> (8 * i));
        }

        var taken = Math.Min(4 - _pendingLength, piece.Length);
        piece[..taken].CopyTo(sequence[_pendingLength..]);
        var length = _pendingLength + taken;
        switch (Rune.DecodeFromUtf8(sequence[..length], out _, out var used))
        {
            case OperationStatus.Done:
                piece = piece[(used - _pendingLength)..];
                _pending = 0;
                _pendingLength = 0;
                return true;
            case OperationStatus.NeedMoreData:
                // The whole piece went into a code point that still needs more.
                Keep(sequence[..length]);
                piece = default;
                return true;
            default:
                return false;
        }
    }

    private void Keep(ReadOnlySpan<byte> bytes)
    {
        _pending = 0;
        for (var i = 0; i < bytes.Length; i++)
        {
            _pending |= (uint)bytes[i] << (8 * i);
        }

        _pendingLength = bytes.Length;
    }
}
