using System.Buffers.Text;
using System.Text;

namespace Chat.Bench.Load;

/// <summary>
/// Just enough of the SignalR JSON hub protocol to read what a server sends, straight from the bytes
/// of one record (the text between two 0x1E separators), without a JSON parser.
/// </summary>
public static class HubRecord
{
    public const int Invocation = 1;
    public const int Completion = 3;
    public const int Ping = 6;
    public const int Close = 7;

    private static ReadOnlySpan<byte> TypeProperty => "\"type\":"u8;

    private static ReadOnlySpan<byte> TargetProperty => "\"target\":\""u8;

    private static ReadOnlySpan<byte> InvocationIdProperty => "\"invocationId\":\""u8;

    private static ReadOnlySpan<byte> ErrorProperty => "\"error\":\""u8;

    /// <summary>The record's <c>type</c>, or 0 when it has none.</summary>
    public static int TypeOf(ReadOnlySpan<byte> record)
    {
        var at = record.IndexOf(TypeProperty);
        return at >= 0 && Utf8Parser.TryParse(record[(at + TypeProperty.Length)..], out int type, out _) ? type : 0;
    }

    /// <summary>True when an invocation record calls <paramref name="target"/> (e.g. <c>"ReceiveMessage"u8</c>).</summary>
    public static bool HasTarget(ReadOnlySpan<byte> record, ReadOnlySpan<byte> target)
    {
        var at = record.IndexOf(TargetProperty);
        if (at < 0)
        {
            return false;
        }

        var rest = record[(at + TargetProperty.Length)..];
        return rest.Length > target.Length && rest.StartsWith(target) && rest[target.Length] == (byte)'"';
    }

    /// <summary>The invocation id of a completion, or empty.</summary>
    public static ReadOnlySpan<byte> InvocationIdOf(ReadOnlySpan<byte> record)
    {
        var at = record.IndexOf(InvocationIdProperty);
        if (at < 0)
        {
            return [];
        }

        var rest = record[(at + InvocationIdProperty.Length)..];
        var end = rest.IndexOf((byte)'"');
        return end < 0 ? [] : rest[..end];
    }

    /// <summary>The error of a completion or close record, or null when it has none.</summary>
    public static string? ErrorOf(ReadOnlySpan<byte> record)
    {
        var at = record.IndexOf(ErrorProperty);
        if (at < 0)
        {
            return null;
        }

        var rest = record[(at + ErrorProperty.Length)..];
        var end = rest.IndexOf((byte)'"');
        return Encoding.UTF8.GetString(end < 0 ? rest : rest[..end]);
    }
}
