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
internal sealed record WebSocketUpgrade(string Key, string? Host, string? Origin, string? Name, string? ClientKey, long HeadLength);

/// <summary>
/// Reads the request head of a new connection. Only a plain <c>GET /hubs/chat</c> WebSocket upgrade
/// with everything RFC 6455 requires (and no negotiated connection id) is taken; anything else, valid
/// or not, is left for Kestrel's HTTP stack, which answers it as it always did.
/// </summary>
internal static class WebSocketHandshake
{
    /// <summary>A request head longer than this is not ours (Kestrel's own limit is 32 KiB).</summary>
    public const int MaxHeadBytes = 8 * 1024;

    private static readonly byte[] RequestStart = Encoding.ASCII.GetBytes("GET " + ChatEndpoints.HubPath);
    private static readonly byte[] HeadEnd = "\r\n\r\n"u8.ToArray();

    // RFC 6455 section 1.3: the accept value is SHA-1 of the key and this GUID, in base64.
    private const string AcceptGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

    public static HandshakeVerdict Read(ReadOnlySequence<byte> buffer, out WebSocketUpgrade? upgrade)
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

        var reader = new SequenceReader<byte>(buffer);
        if (!reader.TryReadTo(out ReadOnlySequence<byte> head, HeadEnd, advancePastDelimiter: true))
        {
            return buffer.Length > MaxHeadBytes ? HandshakeVerdict.NotOurs : HandshakeVerdict.NeedMore;
        }

        if (head.Length > MaxHeadBytes)
        {
            return HandshakeVerdict.NotOurs;
        }

        upgrade = Parse(Encoding.Latin1.GetString(head), reader.Consumed);
        return upgrade is null ? HandshakeVerdict.NotOurs : HandshakeVerdict.Upgrade;
    }

    /// <summary>The <c>Sec-WebSocket-Accept</c> value for a client's key.</summary>
    public static string AcceptValue(string key) =>
        Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(key + AcceptGuid)));

    public static byte[] SwitchingProtocols(string key) => Encoding.ASCII.GetBytes(
        "HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n"
        + $"Sec-WebSocket-Accept: {AcceptValue(key)}\r\n\r\n");

    private static WebSocketUpgrade? Parse(string head, long headLength)
    {
        var lines = head.Split("\r\n");
        var requestLine = lines[0].Split(' ');
        if (requestLine is not [_, var target, "HTTP/1.1"])
        {
            return null;
        }

        var queryStart = target.IndexOf('?', StringComparison.Ordinal);
        var path = queryStart < 0 ? target : target[..queryStart];
        if (path != ChatEndpoints.HubPath)
        {
            return null;
        }

        string? host = null, origin = null, key = null, version = null, authorization = null;
        bool upgrade = false, connectionUpgrade = false;
        foreach (var line in lines.AsSpan(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            if (colon <= 0)
            {
                return null;
            }

            var name = line[..colon];
            var value = line[(colon + 1)..].Trim(' ', '\t');
            switch (name.ToLowerInvariant())
            {
                case "host":
                    host = value;
                    break;
                case "origin":
                    origin = value;
                    break;
                case "upgrade":
                    upgrade = HasToken(value, "websocket");
                    break;
                case "connection":
                    connectionUpgrade = HasToken(value, "upgrade");
                    break;
                case "sec-websocket-key":
                    key = value;
                    break;
                case "sec-websocket-version":
                    version = value;
                    break;
                case "authorization":
                    authorization = value;
                    break;
                case "transfer-encoding" or "content-length" when value != "0":
                    // A GET with a body is not a WebSocket handshake.
                    return null;
            }
        }

        if (!upgrade || !connectionUpgrade || version != "13" || host is null || !IsValidKey(key))
        {
            return null;
        }

        var query = QueryHelpers.ParseQuery(queryStart < 0 ? null : target[queryStart..]);

        // A negotiated connection (?id=) belongs to SignalR's HTTP transport, which knows the id.
        if (query.ContainsKey("id"))
        {
            return null;
        }

        return new WebSocketUpgrade(
            key!,
            host,
            origin,
            query.TryGetValue(ChatEndpoints.NameParameter, out var nickname) ? nickname.ToString() : null,
            ConnectionRequest.KeyOf(query.TryGetValue(ChatEndpoints.KeyParameter, out var clientKey) ? clientKey.ToString() : null, authorization),
            headLength);
    }

    private static bool HasToken(string value, string token)
    {
        foreach (var part in value.Split(','))
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
