using System.Globalization;
using Chat.Tests.Doors;
using Chat.Tests.Infrastructure;

namespace Chat.Tests.Scaleout;

/// <summary>The TCP door on one node and the <c>/ws</c> door on another share a room through Redis and PostgreSQL.</summary>
public sealed class LineDoorClusterTests(RedisAndPostgresFixture services) : IClassFixture<RedisAndPostgresFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_tcp_user_on_node_a_and_a_ws_user_on_node_b_chat_in_one_room()
    {
        await using var cluster = await Cluster.StartAsync(0, services.Redis, services.Postgres);
        var tcpPort = FreePort.Next();
        await cluster.AddNodeAsync(new Dictionary<string, string> { ["Chat:Tcp:Port"] = tcpPort.ToString(CultureInfo.InvariantCulture) });
        var nodeB = await cluster.AddNodeAsync();
        await cluster.WaitUntilHealthyAsync(Timeout);
        var room = Names.Room("cluster");
        var bob = Names.User("bob");
        var carol = Names.User("carol");

        await using var tcp = await NetcatClient.SignInAsync(tcpPort, bob);
        await tcp.SendAsync($"/join {room}\n");
        await tcp.WaitForAsync($"Joined room: {room}");
        await tcp.SendAsync("before carol\n");
        await tcp.WaitForAsync($"[{room}] {bob}: before carol");

        var ws = WebSocketDoorClient.RunAsync($"ws://127.0.0.1:{nodeB.Port}/ws?name={carol}", null,
            $"send:/join {room}", "wait:from node a", "send:from node b", "wait:from node b");
        await tcp.WaitForAsync($"[SYSTEM] {carol} joined {room}");
        await tcp.SendAsync("from node a\n");
        await tcp.WaitForAsync($"[{room}] {carol}: from node b");

        var messages = WebSocketDoorClient.Frames(await ws.WaitAsync(Timeout)).Where(frame => frame.GetProperty("type").GetString() == "message").ToList();
        messages.Select(frame => frame.GetProperty("message").GetString()).Should().Equal("before carol", "from node a", "from node b");
        messages.Select(frame => frame.GetProperty("seq").GetInt64()).Should().Equal(1, 2, 3);
    }
}
