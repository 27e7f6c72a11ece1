using System.Text;
using System.Text.Json;
using Chat.Protocol;
using Chat.Tests.Infrastructure;

namespace Chat.Tests.Transport;

/// <summary>
/// What a hub WebSocket does with the client's frames, seen from the wire: RFC 6455's rules on text,
/// close frames and lengths, and a burst of queued messages. Each path a WebSocket can take to the hub
/// (our own framing, ASP.NET Core's HTTP stack) derives from this, so both answer alike.
/// </summary>
public abstract class FrameRulesTests(ChatServerFixture fixture)
{
    private const string Separator = "\u001e";

    private Uri Address => fixture.Address;

    /// <summary>
    /// The status a valid close frame is answered with: RFC 6455 section 5.5.1 says an endpoint
    /// typically echoes the one it received, and our framing does.
    /// </summary>
    protected virtual ushort CloseAnswerTo(ushort status) => status;

    /// <summary>The status a close reason that is not UTF-8 is answered with: 1007, as for any text that is not.</summary>
    protected virtual ushort BadCloseReasonAnswer => 1007;

    /// <summary>
    /// Whether the server may reset the connection right after its close frame for a protocol error. Our
    /// framing reads what the client sent before it closes; ASP.NET Core's WebSocket closes with the rest
    /// of the client's frame unread, and the kernel answers unread data with a reset, which can overtake
    /// the close frame on its way to a client that reads late.
    /// </summary>
    protected virtual bool MayResetAfterProtocolClose => false;

    [Fact]
    public async Task A_burst_of_queued_sends_is_acknowledged_not_closed()
    {
        var (socket, room) = await JoinAsync();
        await using var _ = socket;

        // Twelve messages of 2,000 CJK characters (about 6 KB each as UTF-8), all in one write: more
        // than the reader may hold undelivered at once, but none larger than a hub message may be.
        var text = new string('漢', 2000);
        var burst = Enumerable.Range(1, 12)
            .SelectMany(i => WireSocket.Frame(WireSocket.Text, Invocation($"send{i}", nameof(IChatHub.SendMessage), $"\"{room}\",\"{text}\",null")))
            .ToArray();
        await socket.SendAsync(burst);

        // Each answer means the message is durable: twelve commits of the store, on a disk the rest of
        // the suite shares, may take longer than one frame usually waits.
        socket.ReceiveTimeout = TimeSpan.FromSeconds(30);
        for (var i = 1; i <= 12; i++)
        {
            (await socket.ReceiveCompletionAsync($"send{i}")).Should().NotContain("\"error\"");
        }
    }

    [Fact]
    public async Task Text_that_is_not_utf8_closes_with_1007()
    {
        var (socket, room) = await JoinAsync();
        await using var _ = socket;

        // 0xC3 starts a two-byte sequence; '(' cannot continue it.
        await socket.SendFrameAsync(WireSocket.Text, Invocation("bad", nameof(IChatHub.SendMessage), $"\"{room}\",\"a\u00c3(b\",null", latin1: true));

        await ClosesForAProtocolErrorWithAsync(socket, 1007);
    }

    [Fact]
    public async Task Code_points_split_across_fragments_and_writes_reach_the_hub_whole()
    {
        var (socket, room) = await JoinAsync();
        await using var _ = socket;
        const string text = "€ 漢字 😀 é";
        var invocation = Invocation("split", nameof(IChatHub.SendMessage), $"\"{room}\",\"{text}\",null");

        // One continuation frame per byte from the text on, each in its own write: every code point is
        // cut inside, across frames and (unless the network joins the writes) across socket reads.
        var cut = Encoding.UTF8.GetByteCount($"{{\"type\":1,\"invocationId\":\"split\",\"target\":\"{nameof(IChatHub.SendMessage)}\",\"arguments\":[\"{room}\",\"");
        await socket.SendFrameAsync(WireSocket.Text, invocation[..cut], fin: false);
        for (var i = cut; i < invocation.Length; i++)
        {
            await socket.SendFrameAsync(WireSocket.Continuation, invocation[i..(i + 1)], fin: i == invocation.Length - 1);
        }

        SentText(await socket.ReceiveCompletionAsync("split")).Should().Be(text);
    }

    [Fact]
    public async Task A_broken_code_point_split_across_fragments_closes_with_1007()
    {
        var (socket, room) = await JoinAsync();
        await using var _ = socket;
        var invocation = Invocation("bad", nameof(IChatHub.SendMessage), $"\"{room}\",\"a\u00e2(b\",null", latin1: true);
        var lead = Array.IndexOf(invocation, (byte)0xE2);

        // 0xE2 ends the first fragment as a fine start of a three-byte sequence; '(' opens the next.
        await socket.SendFrameAsync(WireSocket.Text, invocation[..(lead + 1)], fin: false);
        await socket.SendFrameAsync(WireSocket.Continuation, invocation[(lead + 1)..]);

        await ClosesForAProtocolErrorWithAsync(socket, 1007);
    }

    [Fact]
    public async Task A_text_message_ending_inside_a_code_point_closes_with_1007()
    {
        await using var socket = await WireSocket.ConnectHubAsync(Address);

        // A hub ping, then the first two bytes of '€' (E2 82 AC) and the end of the message.
        await socket.SendFrameAsync(WireSocket.Text, [.. Encoding.UTF8.GetBytes("{\"type\":6}" + Separator), 0xE2, 0x82]);

        await ClosesForAProtocolErrorWithAsync(socket, 1007);
    }

    [Fact]
    public async Task Binary_messages_are_not_held_to_utf8()
    {
        var (socket, room) = await JoinAsync();
        await using var _ = socket;
        var invocation = Invocation("binary", nameof(IChatHub.SendMessage), $"\"{room}\",\"€\",null");
        var cut = Array.IndexOf(invocation, (byte)0xE2) + 1;

        // Two whole binary messages, the first ending inside '€': as text that would be a broken message.
        await socket.SendFrameAsync(WireSocket.Binary, invocation[..cut]);
        await socket.SendFrameAsync(WireSocket.Binary, invocation[cut..]);

        SentText(await socket.ReceiveCompletionAsync("binary")).Should().Be("€");
    }

    [Theory]
    [InlineData(0)]
    [InlineData(999)]
    [InlineData(1004)]
    [InlineData(1005)]
    [InlineData(1006)]
    [InlineData(1015)]
    [InlineData(1016)]
    [InlineData(2999)]
    [InlineData(5000)]
    [InlineData(65535)]
    public async Task A_close_status_no_endpoint_may_send_is_answered_with_1002(int status)
    {
        await using var socket = await WireSocket.ConnectHubAsync(Address);

        await socket.SendFrameAsync(WireSocket.Close, WireSocket.ClosePayload((ushort)status));

        await ClosesForAProtocolErrorWithAsync(socket, 1002);
    }

    [Theory]
    [InlineData(1000)]
    [InlineData(1001)]
    [InlineData(1003)]
    [InlineData(1007)]
    [InlineData(1008)]
    [InlineData(1009)]
    [InlineData(1010)]
    [InlineData(1011)]
    [InlineData(1012)]
    [InlineData(1013)]
    [InlineData(1014)]
    [InlineData(3000)]
    [InlineData(4999)]
    public async Task A_valid_close_status_is_answered_and_the_connection_ends(int status)
    {
        await using var socket = await WireSocket.ConnectHubAsync(Address);

        await socket.SendFrameAsync(WireSocket.Close, WireSocket.ClosePayload((ushort)status, "bye"u8.ToArray()));

        (await socket.ReceiveCloseStatusAsync()).Should().Be(CloseAnswerTo((ushort)status));
        (await socket.ClosedByServerAsync()).Should().BeTrue();
    }

    [Fact]
    public async Task A_close_reason_that_is_not_utf8_fails_the_connection()
    {
        await using var socket = await WireSocket.ConnectHubAsync(Address);

        await socket.SendFrameAsync(WireSocket.Close, WireSocket.ClosePayload(1000, 0x62, 0x79, 0xFF, 0x65));

        await ClosesForAProtocolErrorWithAsync(socket, BadCloseReasonAnswer);
    }

    [Fact]
    public async Task A_close_without_a_status_is_answered_with_1000()
    {
        await using var socket = await WireSocket.ConnectHubAsync(Address);

        await socket.SendFrameAsync(WireSocket.Close, []);

        (await socket.ReceiveCloseStatusAsync()).Should().Be(1000);
        (await socket.ClosedByServerAsync()).Should().BeTrue();
    }

    [Fact]
    public async Task A_64_bit_length_with_its_top_bit_set_closes_with_1002()
    {
        await using var socket = await WireSocket.ConnectHubAsync(Address);

        await socket.SendFrameAsync(WireSocket.Text, new byte[16], length: 0x8000_0000_0000_0010);

        await ClosesForAProtocolErrorWithAsync(socket, 1002);
    }

    /// <summary>The server closes with <paramref name="status"/> and ends the connection (or, where it may, resets it right after the close).</summary>
    private async Task ClosesForAProtocolErrorWithAsync(WireSocket socket, ushort status)
    {
        try
        {
            (await socket.ReceiveCloseStatusAsync()).Should().Be(status);
        }
        catch (IOException) when (MayResetAfterProtocolClose)
        {
            return;
        }

        (await socket.ClosedByServerAsync()).Should().BeTrue();
    }

    /// <summary>A hub invocation as the JSON protocol frames it; <paramref name="latin1"/> writes each char as one byte, to put bytes UTF-8 forbids in it.</summary>
    private static byte[] Invocation(string id, string target, string arguments, bool latin1 = false)
    {
        var json = $"{{\"type\":1,\"invocationId\":\"{id}\",\"target\":\"{target}\",\"arguments\":[{arguments}]}}{Separator}";
        return latin1 ? Encoding.Latin1.GetBytes(json) : Encoding.UTF8.GetBytes(json);
    }

    /// <summary>The text of the message a <c>SendMessage</c> completion acknowledges.</summary>
    private static string? SentText(string completion) =>
        JsonDocument.Parse(completion).RootElement.GetProperty("result").GetProperty("text").GetString();

    /// <summary>A hub connection over a raw socket that has joined a fresh room.</summary>
    private async Task<(WireSocket Socket, string Room)> JoinAsync()
    {
        var socket = await WireSocket.ConnectHubAsync(Address);
        var room = Names.Room();
        await socket.SendAsync(WireSocket.Frame(WireSocket.Text, Invocation("join", nameof(IChatHub.Join), $"\"{room}\"")));
        (await socket.ReceiveCompletionAsync("join")).Should().NotContain("\"error\"");
        return (socket, room);
    }
}
