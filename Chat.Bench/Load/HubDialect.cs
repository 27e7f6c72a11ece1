using System.Text.Unicode;
using Chat.Protocol;

namespace Chat.Bench.Load;

/// <summary>
/// How a simulated user speaks to one kind of server: our hub (<c>Join</c>, <c>SendMessage(room, text,
/// clientMessageId)</c>, a nickname in the URL) or the bare baseline hub (<c>Join</c>,
/// <c>Send(room, text)</c>). Both deliver <c>ReceiveMessage</c> with a <c>text</c> property, which
/// is all the recipients read.
/// </summary>
public sealed class HubDialect
{
    /// <summary>Chat.Server: every feature on (nicknames, seq, durable history, validation, limits).</summary>
    public static readonly HubDialect Ours = new("ours", nameof(IChatHub.SendMessage), withNicknames: true, withClientMessageId: true);

    /// <summary>The baseline: a SignalR hub with plain Groups and nothing else.</summary>
    public static readonly HubDialect Bare = new("bare", "Send", withNicknames: false, withClientMessageId: false);

    public const string HubPath = "/hubs/chat";

    private readonly string _sendTarget;
    private readonly bool _withNicknames;
    private readonly bool _withClientMessageId;

    private HubDialect(string name, string sendTarget, bool withNicknames, bool withClientMessageId)
    {
        Name = name;
        _sendTarget = sendTarget;
        _withNicknames = withNicknames;
        _withClientMessageId = withClientMessageId;
    }

    public string Name { get; }

    /// <summary>The WebSocket address of the hub for simulated user <paramref name="index"/>.</summary>
    public Uri HubUri(Uri server, int index)
    {
        var builder = new UriBuilder(server) { Scheme = server.Scheme == "https" ? "wss" : "ws", Path = HubPath };
        if (_withNicknames)
        {
            builder.Query = $"name=b{index}";
        }

        return builder.Uri;
    }

    /// <summary>
    /// Writes one send invocation (with its record separator) whose invocation id is <paramref name="seq"/>;
    /// returns its length. The benchmark text goes straight into the frame.
    /// </summary>
    public int WriteSend(Span<byte> frame, string room, int sender, long seq, long sentAt, int textSize)
    {
        if (!Utf8.TryWrite(frame, $"{{\"type\":1,\"invocationId\":\"{seq}\",\"target\":\"{_sendTarget}\",\"arguments\":[\"{room}\",\"", out var head))
        {
            throw new ArgumentException("The frame buffer is too small.", nameof(frame));
        }

        var written = head + BenchText.Write(frame[head..], sender, seq, sentAt, textSize);
        var tail = frame[written..];
        var ok = _withClientMessageId
            ? Utf8.TryWrite(tail, $"\",\"{sender:x8}{seq:x24}\"]}}\u001e", out var end)
            : Utf8.TryWrite(tail, $"\"]}}\u001e", out end);
        return ok ? written + end : throw new ArgumentException("The frame buffer is too small.", nameof(frame));
    }

    /// <summary>The largest frame <see cref="WriteSend"/> writes for a text of <paramref name="textSize"/> bytes.</summary>
    public static int MaxSendFrameSize(int textSize) => textSize + 256;
}
