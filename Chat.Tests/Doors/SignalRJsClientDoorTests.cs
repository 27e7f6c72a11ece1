using System.Text.Json;
using Chat.Tests.Infrastructure;
using Chat.Tests.Interop;

namespace Chat.Tests.Doors;

/// <summary>
/// Issue #17's own scenario: the official SignalR JavaScript client (@microsoft/signalr under node,
/// pinned in Chat.Tests/Interop/node at Chat.Web's version), a <c>/ws</c> user (Python's websockets)
/// and a TCP user (nc) in one room see each other's messages, in order, with history.
/// </summary>
public sealed class SignalRJsClientDoorTests(LineDoorServerFixture server) : IClassFixture<LineDoorServerFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    private static readonly string[] Conversation = ["history 1", "from ws", "from node", "from tcp"];

    [Fact]
    public async Task The_signalr_js_client_a_ws_user_and_a_tcp_user_see_each_others_messages_in_order_with_history()
    {
        var directory = ExternalClient.Directory("node");
        if (!Directory.Exists(Path.Combine(directory, "node_modules", "@microsoft", "signalr")))
        {
            throw new InvalidOperationException($"The SignalR JavaScript client is missing: run npm ci in {directory} (./build.sh test does).");
        }

        var room = Names.Room("js");
        var bob = Names.User("bob");
        var carol = Names.User("carol");
        var dave = Names.User("dave");
        await using var tcp = await NetcatClient.SignInAsync(server.TcpPort, bob);
        await tcp.SendAsync($"/join {room}\n");
        await tcp.WaitForAsync($"Joined room: {room}");
        await tcp.SendAsync("history 1\n");
        await tcp.WaitForAsync($"[{room}] {bob}: history 1");

        var node = ExternalClient.RunAsync("node", directory, "signalr-client.mjs", $"http://127.0.0.1:{server.Server.Port}", room, dave, "from ws", "from node", "from tcp");
        var ws = WebSocketDoorClient.RunAsync(server.WebSocketUrl(carol), null, $"send:/join {room}", "wait:Joined room", "send:from ws", "wait:from tcp");
        await tcp.WaitForAsync($"[{room}] {dave}: from node");
        await tcp.SendAsync("from tcp\n");

        var js = await node.WaitAsync(Timeout);
        var snapshot = js.GetProperty("snapshot");
        var lastSeq = snapshot.GetProperty("lastSeq").GetInt64();
        List<JsonElement> seen = [.. snapshot.GetProperty("messages").EnumerateArray(),
            .. js.GetProperty("received").EnumerateArray().Where(m => m.GetProperty("seq").GetInt64() > lastSeq)];
        seen.Select(m => m.GetProperty("text").GetString()).Should().Equal(Conversation);
        seen.Select(m => m.GetProperty("seq").GetInt64()).Should().BeInAscendingOrder().And.OnlyHaveUniqueItems();
        snapshot.GetProperty("messages")[0].GetProperty("text").GetString().Should().Be("history 1");

        var frames = WebSocketDoorClient.Frames(await ws.WaitAsync(Timeout));
        var messages = frames.Where(frame => frame.GetProperty("type").GetString() == "message").ToList();
        messages.Select(frame => frame.GetProperty("message").GetString()).Should().Equal(Conversation);
        messages.Select(frame => frame.GetProperty("seq").GetInt64()).Should().BeInAscendingOrder().And.OnlyHaveUniqueItems();
        messages[0].GetProperty("history").GetBoolean().Should().BeTrue();
        messages.Select(frame => frame.GetProperty("sender").GetString()).Should().Equal(bob, carol, dave, bob);

        await tcp.WaitForAsync($"[{room}] {bob}: from tcp");
        var lines = tcp.Output.Split('\n');
        Conversation.Select(text => Array.FindIndex(lines, line => line.Contains($"[{room}] ", StringComparison.Ordinal) && line.TrimEnd().EndsWith(": " + text, StringComparison.Ordinal)))
            .Should().BeInAscendingOrder().And.NotContain(-1);
    }
}
