using System.Globalization;
using System.Text.Json;
using Chat.Tests.Infrastructure;
using Chat.Tests.Scaleout;

namespace Chat.Tests.Doors;

/// <summary>
/// Issue #17's "one room, one history, one seq" through the doors: messages sent on two nodes at once
/// reach a node's connections by two paths (written here, or through Redis) and can overtake each other;
/// a door user still sees each of them once, in seq order.
/// </summary>
public sealed class DoorOrderClusterTests(RedisAndPostgresFixture services) : IClassFixture<RedisAndPostgresFixture>
{
    private const int MessagesPerSender = 50;
    private const string Last = "that is all";

    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    // The senders' own rate limit is not what this test is about.
    private static readonly Dictionary<string, string> Settings = new()
    {
        ["Chat:Limits:SendsPerSecond"] = "1000",
        ["Chat:Limits:SendBurst"] = "1000",
    };

    [Fact]
    public async Task Door_users_get_every_message_of_senders_on_both_nodes_once_and_in_seq_order()
    {
        await using var cluster = await Cluster.StartAsync(0, services.Redis, services.Postgres);
        var nodeA = await cluster.AddNodeAsync(Settings);
        var nodeB = await cluster.AddNodeAsync(Settings);
        await cluster.WaitUntilHealthyAsync(Timeout);
        var room = Names.Room("order");
        await using var alice = await TestClient.ConnectAsync(nodeA.Address, Names.User("alice"));
        await using var bob = await TestClient.ConnectAsync(nodeB.Address, Names.User("bob"));
        await alice.Client.JoinAsync(room);
        await bob.Client.JoinAsync(room);

        // Both door users on node A: one on /ws, one on /ws/chat/{room}; each reads until the last message.
        var wsUser = Names.User("wsuser");
        var roomUser = Names.User("roomuser");
        var ws = WebSocketDoorClient.RunAsync($"ws://127.0.0.1:{nodeA.Port}/ws?name={wsUser}", null, $"send:/join {room}", $"wait:{Last}");
        var roomDoor = RoomDoorsClient.RunAsync("json-listen", nodeA.Address, room, roomUser, Last);
        await bob.Joins.WaitForAsync(p => p.Room == room && p.Nickname == wsUser);
        await bob.Joins.WaitForAsync(p => p.Room == room && p.Nickname == roomUser);

        await Task.WhenAll(SendAllAsync(alice, room, "a"), SendAllAsync(bob, room, "b")).WaitAsync(Timeout);
        await bob.Client.SendAsync(room, Last).WaitAsync(Timeout);

        var expected = Enumerable.Range(1, 2 * MessagesPerSender + 1).Select(seq => (long)seq).ToList();
        var wsMessages = WebSocketDoorClient.Frames(await ws.WaitAsync(Timeout)).Where(IsMessage).ToList();
        var roomMessages = (await roomDoor.WaitAsync(Timeout)).GetProperty("seen").EnumerateArray().Where(IsMessage).ToList();
        foreach (var (door, messages) in new[] { ("/ws", wsMessages), ("/ws/chat", roomMessages) })
        {
            messages.Select(m => m.GetProperty("seq").GetInt64()).Should().Equal(expected, $"{door} shows every seq once, in order");
            messages.Select(m => m.GetProperty("message").GetString()).Should().BeEquivalentTo(
                [.. Texts("a"), .. Texts("b"), Last], $"{door} shows every message sent");
        }
    }

    private static async Task SendAllAsync(TestClient sender, string room, string prefix)
    {
        foreach (var text in Texts(prefix))
        {
            await sender.Client.SendAsync(room, text);
        }
    }

    private static IEnumerable<string> Texts(string prefix) =>
        Enumerable.Range(1, MessagesPerSender).Select(i => $"{prefix} {i.ToString(CultureInfo.InvariantCulture)}");

    private static bool IsMessage(JsonElement frame) => frame.GetProperty("type").GetString() == "message";
}
