using System.Buffers.Binary;
using System.Globalization;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Chat.Protocol;

namespace Chat.Tests.Transport;

/// <summary>
/// A WebSocket written frame by frame over a plain TCP socket, for what ClientWebSocket never sends:
/// fragments, unmasked or oversized frames, pings with a payload, many frames in one write, text that
/// is not UTF-8, any close status.
/// </summary>
public sealed class WireSocket : IAsyncDisposable
{
    public const byte Continuation = 0x0;
    public const byte Text = 0x1;
    public const byte Binary = 0x2;
    public const byte Close = 0x8;
    public const byte Ping = 0x9;
    public const byte Pong = 0xA;

    private const char RecordSeparator = '\u001e';

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private readonly TcpClient _tcp;
    private readonly NetworkStream _stream;

    private WireSocket(TcpClient tcp, string response)
    {
        _tcp = tcp;
        _stream = tcp.GetStream();
        Response = response;
    }

    /// <summary>The server's answer to the upgrade request: status line and headers.</summary>
    public string Response { get; }

    public static string AcceptFor(string key) =>
        Convert.ToBase64String(SHA1.HashData(Encoding.ASCII.GetBytes(key + "258EAFA5-E914-47DA-95CA-C5AB0DC85B11")));

    /// <summary>A close frame's payload: the status, then the reason (raw bytes, so tests can break its UTF-8).</summary>
    public static byte[] ClosePayload(ushort status, params byte[] reason)
    {
        var payload = new byte[2 + reason.Length];
        BinaryPrimitives.WriteUInt16BigEndian(payload, status);
        reason.CopyTo(payload, 2);
        return payload;
    }

    /// <summary>Sends <paramref name="request"/> (the request head, without the final blank line) and reads the response head.</summary>
    public static async Task<WireSocket> SendRequestAsync(Uri server, string request)
    {
        var tcp = new TcpClient();
        using var timeout = new CancellationTokenSource(Timeout);
        await tcp.ConnectAsync(server.Host, server.Port, timeout.Token);
        var stream = tcp.GetStream();
        await stream.WriteAsync(Encoding.ASCII.GetBytes(request + "\r\n\r\n"), timeout.Token);

        // Read byte by byte up to the blank line, so the first frame stays in the stream.
        var head = new StringBuilder();
        var one = new byte[1];
        while (!head.ToString().EndsWith("\r\n\r\n", StringComparison.Ordinal))
        {
            if (await stream.ReadAsync(one, timeout.Token) == 0)
            {
                break;
            }

            head.Append((char)one[0]);
        }

        return new WireSocket(tcp, head.ToString());
    }

    /// <summary>
    /// Sends <paramref name="head"/> exactly as given (no line end added) and reads what comes back up
    /// to the end of the response head or until the server closes: the response head ("" if the
    /// server closed without a word) and how long it took. Never longer than <paramref name="timeout"/>.
    /// </summary>
    public static async Task<(string Response, TimeSpan Elapsed)> ExchangeAsync(Uri server, byte[] head, TimeSpan timeout)
    {
        using var tcp = new TcpClient();
        using var cancel = new CancellationTokenSource(timeout);
        await tcp.ConnectAsync(server.Host, server.Port, cancel.Token);
        var stream = tcp.GetStream();
        var started = System.Diagnostics.Stopwatch.StartNew();
        var response = new StringBuilder();
        try
        {
            if (head.Length > 0)
            {
                await stream.WriteAsync(head, cancel.Token);
            }

            var buffer = new byte[4096];
            while (!response.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
            {
                var read = await stream.ReadAsync(buffer, cancel.Token);
                if (read == 0)
                {
                    break;
                }

                response.Append(Encoding.Latin1.GetString(buffer, 0, read));
            }
        }
        catch (IOException)
        {
            // A reset after the answer: what arrived is the answer.
        }

        var text = response.ToString();
        var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        return (end < 0 ? text : text[..(end + 4)], started.Elapsed);
    }

    /// <summary>The status line of a response head ("" for none).</summary>
    public static string StatusLine(string response) => response.Split("\r\n")[0];

    /// <summary>A WebSocket upgrade of the hub path with <paramref name="key"/>, the way browsers send it.</summary>
    public static Task<WireSocket> UpgradeAsync(Uri server, string query = "", string key = "dGhlIHNhbXBsZSBub25jZQ==") =>
        SendRequestAsync(server,
            $"GET {ChatEndpoints.HubPath}{query} HTTP/1.1\r\nHost: {server.Authority}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + $"Sec-WebSocket-Key: {key}\r\nSec-WebSocket-Version: 13");

    /// <summary>Opens a connection and completes the SignalR JSON handshake.</summary>
    public static async Task<WireSocket> ConnectHubAsync(Uri server)
    {
        var socket = await UpgradeAsync(server);
        await socket.SendTextAsync("{\"protocol\":\"json\",\"version\":1}\u001e");
        var (opcode, payload) = await socket.ReceiveAsync();
        if (opcode != Text || Encoding.UTF8.GetString(payload) != "{}\u001e")
        {
            throw new InvalidOperationException($"No handshake answer: opcode {opcode}, {Encoding.UTF8.GetString(payload)}");
        }

        return socket;
    }

    public Task SendTextAsync(string text) => SendFrameAsync(Text, Encoding.UTF8.GetBytes(text));

    /// <param name="length">The length the header announces (the payload's own unless given).</param>
    public Task SendFrameAsync(byte opcode, byte[] payload, bool fin = true, bool masked = true, ulong? length = null) =>
        SendAsync(Frame(opcode, payload, fin, masked, length));

    /// <summary>Writes <paramref name="bytes"/> (one frame, several, or part of one) in one write.</summary>
    public async Task SendAsync(byte[] bytes)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        await _stream.WriteAsync(bytes, timeout.Token);
    }

    /// <summary>One frame as a client sends it (masked unless told); <see cref="SendAsync"/> puts several on the wire at once.</summary>
    /// <param name="length">The length the header announces (the payload's own unless given).</param>
    public static byte[] Frame(byte opcode, byte[] payload, bool fin = true, bool masked = true, ulong? length = null)
    {
        var announced = length ?? (ulong)payload.Length;
        var frame = new List<byte>(payload.Length + 14) { (byte)((fin ? 0x80 : 0) | opcode) };
        var maskBit = masked ? 0x80 : 0;
        if (announced < 126)
        {
            frame.Add((byte)(maskBit | (int)announced));
        }
        else if (announced <= ushort.MaxValue)
        {
            frame.Add((byte)(maskBit | 126));
            var size = new byte[2];
            BinaryPrimitives.WriteUInt16BigEndian(size, (ushort)announced);
            frame.AddRange(size);
        }
        else
        {
            frame.Add((byte)(maskBit | 127));
            var size = new byte[8];
            BinaryPrimitives.WriteUInt64BigEndian(size, announced);
            frame.AddRange(size);
        }

        var body = (byte[])payload.Clone();
        if (masked)
        {
            var mask = RandomNumberGenerator.GetBytes(4);
            frame.AddRange(mask);
            for (var i = 0; i < body.Length; i++)
            {
                body[i] ^= mask[i % 4];
            }
        }

        frame.AddRange(body);
        return frame.ToArray();
    }

    /// <summary>How long <see cref="ReceiveAsync"/> waits for the next frame.</summary>
    public TimeSpan ReceiveTimeout { get; set; } = Timeout;

    /// <summary>The next frame from the server (which must not mask).</summary>
    public async Task<(byte Opcode, byte[] Payload)> ReceiveAsync()
    {
        using var timeout = new CancellationTokenSource(ReceiveTimeout);
        var head = await ReadExactlyAsync(2, timeout.Token);
        if ((head[1] & 0x80) != 0)
        {
            throw new InvalidOperationException("The server masked a frame.");
        }

        long length = head[1] & 0x7F;
        if (length == 126)
        {
            length = BinaryPrimitives.ReadUInt16BigEndian(await ReadExactlyAsync(2, timeout.Token));
        }
        else if (length == 127)
        {
            length = (long)BinaryPrimitives.ReadUInt64BigEndian(await ReadExactlyAsync(8, timeout.Token));
        }

        return ((byte)(head[0] & 0x0F), await ReadExactlyAsync((int)length, timeout.Token));
    }

    /// <summary>
    /// Frames until the server's close frame (hub pings or a hub close message may come first); its
    /// status, or null when it carries none.
    /// </summary>
    public async Task<ushort?> ReceiveCloseStatusAsync()
    {
        while (true)
        {
            var (opcode, payload) = await ReceiveAsync();
            if (opcode == Close)
            {
                return payload.Length >= 2 ? BinaryPrimitives.ReadUInt16BigEndian(payload) : null;
            }
        }
    }

    /// <summary>
    /// Hub messages until the completion of <paramref name="invocationId"/> (a frame may hold several);
    /// a close frame instead throws with its status.
    /// </summary>
    public async Task<string> ReceiveCompletionAsync(string invocationId)
    {
        var wanted = $"\"invocationId\":\"{invocationId}\"";
        while (true)
        {
            var (opcode, payload) = await ReceiveAsync();
            if (opcode == Close)
            {
                var status = payload.Length >= 2 ? BinaryPrimitives.ReadUInt16BigEndian(payload).ToString(CultureInfo.InvariantCulture) : "no status";
                throw new InvalidOperationException($"The server closed the connection ({status}) before completing invocation {invocationId}.");
            }

            if (opcode == Text)
            {
                var completion = Encoding.UTF8.GetString(payload)
                    .Split(RecordSeparator, StringSplitOptions.RemoveEmptyEntries)
                    .FirstOrDefault(message => message.Contains("\"type\":3", StringComparison.Ordinal) && message.Contains(wanted, StringComparison.Ordinal));
                if (completion is not null)
                {
                    return completion;
                }
            }
        }
    }

    /// <summary>Text frames until one contains <paramref name="text"/>; control frames are skipped, a close frame throws.</summary>
    public async Task<string> ReceiveTextContainingAsync(string text)
    {
        while (true)
        {
            var (opcode, payload) = await ReceiveAsync();
            if (opcode == Close)
            {
                throw new InvalidOperationException($"The server closed the connection before sending text containing {text}.");
            }

            var content = Encoding.UTF8.GetString(payload);
            if (opcode == Text && content.Contains(text, StringComparison.Ordinal))
            {
                return content;
            }
        }
    }

    /// <summary>Reads until the server closes the TCP connection; true if it did within the timeout.</summary>
    public async Task<bool> ClosedByServerAsync()
    {
        using var timeout = new CancellationTokenSource(Timeout);
        var buffer = new byte[4096];
        try
        {
            while (await _stream.ReadAsync(buffer, timeout.Token) > 0)
            {
            }

            return true;
        }
        catch (IOException)
        {
            return true;
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    public ValueTask DisposeAsync()
    {
        _tcp.Dispose();
        return ValueTask.CompletedTask;
    }

    private async Task<byte[]> ReadExactlyAsync(int count, CancellationToken cancellationToken)
    {
        var buffer = new byte[count];
        await _stream.ReadExactlyAsync(buffer, cancellationToken);
        return buffer;
    }
}
