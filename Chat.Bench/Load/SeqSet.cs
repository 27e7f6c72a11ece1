using System.Numerics;

namespace Chat.Bench.Load;

/// <summary>A growable set of sequence numbers (1, 2, 3…) as bits. One writer; read when the writer is done.</summary>
public sealed class SeqSet
{
    private ulong[] _bits = new ulong[2];

    /// <summary>The highest number added so far.</summary>
    public long Max { get; private set; }

    /// <summary>Adds <paramref name="seq"/>; false when it was already there.</summary>
    public bool Add(long seq)
    {
        var word = (int)(seq >> 6);
        if (word >= _bits.Length)
        {
            Array.Resize(ref _bits, Math.Max(word + 1, _bits.Length * 2));
        }

        var mask = 1UL << (int)(seq & 63);
        if ((_bits[word] & mask) != 0)
        {
            return false;
        }

        _bits[word] |= mask;
        Max = Math.Max(Max, seq);
        return true;
    }

    public bool Contains(long seq)
    {
        var word = (int)(seq >> 6);
        return word < _bits.Length && (_bits[word] & (1UL << (int)(seq & 63))) != 0;
    }

    /// <summary>How many of 1..<paramref name="last"/> are in neither this set nor <paramref name="excluded"/>.</summary>
    public long CountMissing(long last, SeqSet excluded)
    {
        long missing = 0;
        var words = (int)(last >> 6) + 1;
        for (var word = 0; word < words; word++)
        {
            var expected = ulong.MaxValue;
            if (word == 0)
            {
                expected &= ~1UL;
            }

            if (word == words - 1)
            {
                var bitsInLast = (int)(last & 63) + 1;
                expected &= bitsInLast == 64 ? ulong.MaxValue : (1UL << bitsInLast) - 1;
            }

            var present = WordAt(word) | excluded.WordAt(word);
            missing += BitOperations.PopCount(expected & ~present);
        }

        return missing;
    }

    private ulong WordAt(int word) => word < _bits.Length ? _bits[word] : 0;
}
