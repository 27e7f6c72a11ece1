using System.Buffers;
using System.Security.Cryptography;
using System.Text;
using Chat.Protocol;
using Microsoft.AspNetCore.WebUtilities;

namespace Chat.Server.Transport.Internal;

/// <summary>What the first bytes of a connection say about it.</summary>
internal enum HandshakeVerdict
{
    /// <summary>Not enough bytes yet to tell.</summary>
    NeedMore,

    /// <summary>Anything else: the bytes go to the HTTP stack untouched.</summary>
    NotOurs,

    /// <summary>A complete, valid WebSocket upgrade of the hub path.</summary>
    Upgrade,
}

/// <summary>A hub WebSocket upgrade request as read from the wire (RFC 6455 section 4.2.1).</summary>
internal sealed record WebSocketUpgrade(string Key, string Host, string? Origin, ConnectionRequest Request, long HeadLength);

/// <summary>Kestrel's limits on a request head (<c>KestrelServerLimits</c>); a head that reaches one is Kestrel's to refuse.</summary>
internal readonly record struct HeadLimits(int MaxRequestLineSize, int MaxRequestHeadersTotalSize, int MaxRequestHeaderCount);

/// <summary>
/// Reads the request head of a new connection. Only a plain <c>GET /hubs/chat</c> WebSocket upgrade
/// that this reader understands completely is taken: CRLF line ends only, header names that are
/// tokens, values of visible ASCII, no folding, one of each header it reads, a valid Host, within
/// Kestrel's limits, everything RFC 6455 requires and no negotiated connection id. Anything else,
/// valid or not, is left for Kestrel's HTTP stack, which answers it as it answers the HTTP path:
/// where two parsers could read one head two ways (a duplicate header, a bare LF that Kestrel takes as
/// a line end, a space before a colon) only Kestrel's reading counts.
/// </summary>
internal static class WebSocketHandshake
{
    private static readonly byte[] RequestStart = Encoding.ASCII.GetBytes("GET " + ChatEndpoints.HubPath);

    // RFC 6455 section 1.3: the accept value is SHA-1 of the key and this GUID, in base64.
    private const string AcceptGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    // The headers this reads, in the order of Parse's values; the last two announce a body.
    private static readonly byte[][] ReadHeaders =
        [.. new[] { "Host", "Origin", "Upgrade", "Connection", "Sec-WebSocket-Key", "Sec-WebSocket-Version", "Authorization", "Content-Length", "Transfer-Encoding" }
            .Select(Encoding.ASCII.GetBytes)];

    private const int BodyHeaders = 7;

    // RFC 9110 section 5.6.2: tchar.
    private static readonly SearchValues<byte> TokenBytes =
        SearchValues.Create("!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"u8);

    // RFC 3986 query characters (unreserved, sub-delims, ':', '@', '/', '?') and '%' for escapes.
    private static readonly SearchValues<byte> QueryBytes =
        SearchValues.Create("-._~!$&'()*+,;=:@/?%0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"u8);

    // A reg-name of letters, digits, '-' and '.', or an IP literal's hex digits, ':' and '.'.
    private static readonly SearchValues<byte> HostNameBytes =
        SearchValues.Create("-.0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"u8);

    public static HandshakeVerdict Read(ReadOnlySequence<byte> buffer, HeadLimits limits, out WebSocketUpgrade? upgrade)
    {
        upgrade = null;

        // The request line first: anything that is not "GET /hubs/chat" followed by '?' or ' ' is
        // decided as soon as one byte differs, so other requests wait for nothing.
        Span<byte> start = stackalloc byte[RequestStart.Length + 1];
        var available = (int)Math.Min(buffer.Length, start.Length);
        buffer.Slice(0, available).CopyTo(start);
        var compared = Math.Min(available, RequestStart.Length);
        if (!start[..compared].SequenceEqual(RequestStart.AsSpan(0, compared)))
        {
            return HandshakeVerdict.NotOurs;
        }

        if (available < start.Length)
        {
            return HandshakeVerdict.NeedMore;
        }

        if (start[^1] is not ((byte)'?' or (byte)' '))
        {
            return HandshakeVerdict.NotOurs;
        }

        // A head that fits the limits is at most this long; more bytes than that cannot be ours.
        var longest = (long)limits.MaxRequestLineSize + limits.MaxRequestHeadersTotalSize;
        var head = buffer.Length > longest ? buffer.Slice(0, longest) : buffer;
        return head.IsSingleSegment
            ? Parse(head.FirstSpan, limits, out upgrade)
            : Parse(head.ToArray(), limits, out upgrade);
    }

    /// <summary>The <c>Sec-WebSocket-Accept</c> value for a client's key.</summary>
    public static string AcceptValue(string key) =>
        Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(key + AcceptGuid)));

    public static byte[] SwitchingProtocols(string key) => Encoding.ASCII.GetBytes(
        "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
        + $"Sec-WebSocket-Accept: {AcceptValue(key)}\r\n\r\n");

    private static HandshakeVerdict Parse(ReadOnlySpan<byte> bytes, HeadLimits limits, out WebSocketUpgrade? upgrade)
    {
        upgrade = null;

        // Kestrel counts the line end in its limits; staying one byte under them leaves no doubt.
        var line = NextLine(bytes, 0, limits.MaxRequestLineSize - 3, allowTab: false, out var position);
        if (line.Verdict != HandshakeVerdict.Upgrade)
        {
            return line.Verdict;
        }

        if (ReadTarget(bytes.Slice(line.Start, line.Length)) is not { } target)
        {
            return HandshakeVerdict.NotOurs;
        }

        var values = new string?[BodyHeaders];
        var budget = limits.MaxRequestHeadersTotalSize - 3;
        var count = 0;
        while (true)
        {
            line = NextLine(bytes, position, budget - 2, allowTab: true, out var next);
            if (line.Verdict != HandshakeVerdict.Upgrade)
            {
                return line.Verdict;
            }

            budget -= next - position;
            position = next;
            if (line.Length == 0)
            {
                break;
            }

            if (++count >= limits.MaxRequestHeaderCount || budget <= 0)
            {
                return HandshakeVerdict.NotOurs;
            }

            var field = bytes.Slice(line.Start, line.Length);
            var colon = field.IndexOf((byte)':');

            // A name that is not a token: a space before the colon, a folded line, no colon at all.
            if (colon <= 0 || field[..colon].ContainsAnyExcept(TokenBytes))
            {
                return HandshakeVerdict.NotOurs;
            }

            var header = KnownHeader(field[..colon]);
            if (header < 0)
            {
                continue;
            }

            // A GET with a body is not a WebSocket handshake; and two of a header this reads would be
            // joined by Kestrel while a reader of one of them sees another value: neither is taken here.
            if (header >= BodyHeaders || values[header] is not null)
            {
                return HandshakeVerdict.NotOurs;
            }

            values[header] = Encoding.ASCII.GetString(field[(colon + 1)..].Trim(" \t"u8));
        }

        var (host, origin, upgradeHeader, connection, key, version, authorization) = (values[0], values[1], values[2], values[3], values[4], values[5], values[6]);
        if (!HasToken(upgradeHeader, "websocket") || !HasToken(connection, "upgrade") || version != UpgradeCheck.WebSocketVersion
            || !IsValidHost(host) || !IsValidKey(key))
        {
            return HandshakeVerdict.NotOurs;
        }

        var query = QueryHelpers.ParseQuery(target);

        // A negotiated connection (?id=) belongs to SignalR's HTTP transport, which knows the id.
        if (query.ContainsKey("id"))
        {
            return HandshakeVerdict.NotOurs;
        }

        upgrade = new WebSocketUpgrade(
            key!,
            host!,
            origin,
            ConnectionRequest.From(Single(query, ChatEndpoints.NameParameter), Single(query, ChatEndpoints.KeyParameter), Single(query, ChatEndpoints.AccessTokenParameter), authorization),
            position);
        return HandshakeVerdict.Upgrade;
    }

    private static string? Single(Dictionary<string, Microsoft.Extensions.Primitives.StringValues> query, string name) =>
        query.TryGetValue(name, out var value) ? value.ToString() : null;

    /// <summary>
    /// The line starting at <paramref name="start"/>, ended by CRLF and made of visible ASCII (and
    /// spaces, and tabs if allowed): <see cref="HandshakeVerdict.Upgrade"/> with its extent, or
    /// <see cref="HandshakeVerdict.NotOurs"/> as soon as a byte breaks that (a bare CR or LF, a control
    /// byte, non-ASCII) or the line outgrows <paramref name="maxLength"/>, or NeedMore.
    /// </summary>
    private static (HandshakeVerdict Verdict, int Start, int Length) NextLine(ReadOnlySpan<byte> bytes, int start, int maxLength, bool allowTab, out int next)
    {
        next = start;
        for (var i = start; i < bytes.Length; i++)
        {
            var b = bytes[i];
            if (b == (byte)'\r')
            {
                if (i + 1 == bytes.Length)
                {
                    return (HandshakeVerdict.NeedMore, 0, 0);
                }

                if (bytes[i + 1] != (byte)'\n')
                {
                    return (HandshakeVerdict.NotOurs, 0, 0);
                }

                next = i + 2;
                return (HandshakeVerdict.Upgrade, start, i - start);
            }

            if (i - start >= maxLength || b > 0x7E || (b < 0x20 && !(allowTab && b == (byte)'\t')))
            {
                return (HandshakeVerdict.NotOurs, 0, 0);
            }
        }

        return (bytes.Length - start >= maxLength ? HandshakeVerdict.NotOurs : HandshakeVerdict.NeedMore, 0, 0);
    }

    private static int KnownHeader(ReadOnlySpan<byte> name)
    {
        for (var i = 0; i < ReadHeaders.Length; i++)
        {
            if (Ascii.EqualsIgnoreCase(name, ReadHeaders[i]))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>The query of <c>GET /hubs/chat[?query] HTTP/1.1</c>, or null for any other request line.</summary>
    private static string? ReadTarget(ReadOnlySpan<byte> requestLine)
    {
        var prefix = RequestStart.Length;
        var end = requestLine.Length - " HTTP/1.1"u8.Length;
        if (end < prefix || !requestLine[end..].SequenceEqual(" HTTP/1.1"u8))
        {
            return null;
        }

        var query = requestLine[prefix..end];
        if (query.IsEmpty)
        {
            return string.Empty;
        }

        if (query[0] != (byte)'?' || query.ContainsAnyExcept(QueryBytes))
        {
            return null;
        }

        for (var i = query.IndexOf((byte)'%'); i >= 0; i = query.IndexOf((byte)'%'))
        {
            if (i + 2 >= query.Length || !Uri.IsHexDigit((char)query[i + 1]) || !Uri.IsHexDigit((char)query[i + 2]))
            {
                return null;
            }

            query = query[(i + 3)..];
        }

        return Encoding.ASCII.GetString(requestLine[prefix..end]);
    }

    // RFC 9110 section 7.2: uri-host [ ":" port ], here a name or an IPv4 address, or an IPv6 literal.
    private static bool IsValidHost(string? host)
    {
        if (string.IsNullOrEmpty(host))
        {
            return false;
        }

        var name = host.AsSpan();
        var portStart = name[0] == '[' ? name.IndexOf("]:", StringComparison.Ordinal) + 1 : name.LastIndexOf(':');
        if (portStart > 0)
        {
            var port = name[(portStart + 1)..];
            if (port.Length is 0 or > 5 || port.ContainsAnyExceptInRange('0', '9'))
            {
                return false;
            }

            name = name[..portStart];
        }

        if (name.Length > 2 && name[0] == '[' && name[^1] == ']')
        {
            return System.Net.IPAddress.TryParse(name[1..^1], out var address) && address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6;
        }

        foreach (var c in name)
        {
            if (c > 0x7F || !HostNameBytes.Contains((byte)c))
            {
                return false;
            }
        }

        return name.Length > 0;
    }

    /// <summary>Whether a comma-separated header value (<c>Upgrade</c>, <c>Connection</c>) lists <paramref name="token"/>, in any case.</summary>
    public static bool HasToken(string? value, string token)
    {
        foreach (var part in (value ?? string.Empty).Split(','))
        {
            if (part.Trim().Equals(token, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    // RFC 6455 section 4.2.1: the key is 16 random bytes in base64.
    private static bool IsValidKey(string? key)
    {
        Span<byte> decoded = stackalloc byte[18];
        return key is { Length: 24 } && Convert.TryFromBase64String(key, decoded, out var written) && written == 16;
    }
}
