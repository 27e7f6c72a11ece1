using System.Buffers.Text;
using System.Text.Unicode;

namespace Chat.Bench.Load;

/// <summary>
/// The text of a benchmark message: <c>B{sender}.{seq}.{sentAt}.</c> padded with <c>x</c> to the
/// message size, all ASCII so JSON never escapes it. <c>sentAt</c> is the generator's Stopwatch
/// timestamp, so latency is measured on one clock.
/// </summary>
public static class BenchText
{
    private const byte Marker = (byte)'B';
    private const byte Separator = (byte)'.';

    private static ReadOnlySpan<byte> TextProperty => "\"text\":\""u8;

    /// <summary>Writes the text; returns its length (at least <paramref name="size"/>).</summary>
    public static int Write(Span<byte> destination, int sender, long seq, long sentAt, int size)
    {
        if (!Utf8.TryWrite(destination, $"B{sender}.{seq}.{sentAt}.", out var written))
        {
            throw new ArgumentException("The destination is too small for the message.", nameof(destination));
        }

        var length = Math.Max(size, written);
        destination[written..length].Fill((byte)'x');
        return length;
    }

    /// <summary>Finds the benchmark text in a hub record (a <c>ReceiveMessage</c> event, ours or the bare hub's).</summary>
    public static bool TryRead(ReadOnlySpan<byte> record, out int sender, out long seq, out long sentAt)
    {
        sender = 0;
        seq = 0;
        sentAt = 0;
        var at = record.IndexOf(TextProperty);
        if (at < 0)
        {
            return false;
        }

        var text = record[(at + TextProperty.Length)..];
        if (text.IsEmpty || text[0] != Marker)
        {
            return false;
        }

        text = text[1..];
        return TryReadField(ref text, out sender)
            && TryReadField(ref text, out seq)
            && TryReadField(ref text, out sentAt);
    }

    private static bool TryReadField(ref ReadOnlySpan<byte> text, out int value)
    {
        if (Utf8Parser.TryParse(text, out value, out var consumed) && consumed < text.Length && text[consumed] == Separator)
        {
            text = text[(consumed + 1)..];
            return true;
        }

        return false;
    }

    private static bool TryReadField(ref ReadOnlySpan<byte> text, out long value)
    {
        if (Utf8Parser.TryParse(text, out value, out var consumed) && consumed < text.Length && text[consumed] == Separator)
        {
            text = text[(consumed + 1)..];
            return true;
        }

        return false;
    }
}
