using Chat.Tests.Infrastructure;

namespace Chat.Tests.Client;

public abstract class ClientRestartTests(WebSocketPath path)
{
    [Fact]
    public async Task A_client_the_server_closes_without_allowing_a_reconnect_starts_again_by_itself()
    {
        // A tiny frame budget: a burst of calls makes the server close the connection with an error,
        // which tells SignalR's client not to reconnect.
        await using var server = await ChatServerProcess.StartAsync(path: path, settings: new Dictionary<string, string>
        {
            ["Chat:Limits:InboundMessagesPerSecond"] = "3",
            ["Chat:Limits:InboundBurst"] = "12",
        });
        var room = Names.Room();
        await using var alice = await TestClient.ConnectAsync(server.Address, Names.User("alice"));
        await alice.Client.JoinAsync(room);

        var burst = Enumerable.Range(0, 30).Select(_ => alice.Client.ListRoomsAsync()).ToArray();
        await alice.Reconnects.WaitForCountAsync(1);
        var report = await alice.Recoveries.WaitForAsync(_ => true, TimeSpan.FromSeconds(20));

        report.Rooms.Should().Equal(room);
        await Task.WhenAll(burst).WaitAsync(TimeSpan.FromSeconds(30));
        (await alice.Client.MeAsync()).Rooms.Should().Equal(room);
    }

    /// <summary>On the server's own WebSocket framing (the default).</summary>
    public sealed class OnDirectPath() : ClientRestartTests(WebSocketPath.Direct);

    /// <summary>Through ASP.NET Core's HTTP stack.</summary>
    public sealed class OnHttpPath() : ClientRestartTests(WebSocketPath.Http);
}
