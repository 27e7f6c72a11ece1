using System.Text;
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

    [Fact]
    public async Task A_burst_of_queued_sends_is_acknowledged_not_closed()
    {
        var (socket, room) = await JoinAsync();
        await using var _ = socket;

        // Twelve messages of 2,000 CJK characters (about 6 KB each as UTF-8), all in one write: more
        // than the reader may hold undelivered at once, but none larger than a hub message may be.
        var text = new string('漢', 2000);
        var burst = Enumerable.Range(1, 12)
            .SelectMany(i => WireSocket.Frame(WireSocket.Text, Invocation($"send{i}", "SendMessage", $"\"{room}\",\"{text}\",null")))
            .ToArray();
        await socket.SendAsync(burst);

        for (var i = 1; i <= 12; i++)
        {
            (await socket.ReceiveCompletionAsync($"send{i}")).Should().NotContain("\"error\"");
        }
    }

    /// <summary>A hub invocation as the JSON protocol frames it.</summary>
    private static byte[] Invocation(string id, string target, string arguments) =>
        Encoding.UTF8.GetBytes($"{{\"type\":1,\"invocationId\":\"{id}\",\"target\":\"{target}\",\"arguments\":[{arguments}]}}{Separator}");

    /// <summary>A hub connection over a raw socket that has joined a fresh room.</summary>
    private async Task<(WireSocket Socket, string Room)> JoinAsync()
    {
        var socket = await WireSocket.ConnectHubAsync(Address);
        var room = Names.Room();
        await socket.SendAsync(WireSocket.Frame(WireSocket.Text, Invocation("join", "Join", $"\"{room}\"")));
        (await socket.ReceiveCompletionAsync("join")).Should().NotContain("\"error\"");
        return (socket, room);
    }
}
