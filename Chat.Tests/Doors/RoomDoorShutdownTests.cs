using Chat.Tests.Infrastructure;

namespace Chat.Tests.Doors;

/// <summary>A stopping server tells room door clients it is restarting, in their dialect, and closes them with 1012.</summary>
public sealed class RoomDoorShutdownTests
{
    [Theory]
    [InlineData("json")]
    [InlineData("text")]
    public async Task A_stopping_server_tells_door_clients_it_is_restarting_and_closes_with_1012(string dialect)
    {
        await using var server = await ChatServerProcess.StartAsync();
        var room = Names.Room("restart");
        var dora = Names.User("dora");
        await using var alice = await TestClient.ConnectAsync(server.Address, Names.User("alice"));
        await alice.Client.JoinAsync(room);
        var python = RoomDoorsClient.RunAsync("restart", server.Address, room, dora, dialect);
        await alice.Joins.WaitForAsync(p => p.Room == room && p.Nickname == dora);

        await server.StopAsync();
        var report = await python.WaitAsync(TimeSpan.FromSeconds(30));

        report.GetProperty("code").GetInt32().Should().Be(1012);
        var last = report.GetProperty("seen").EnumerateArray().Last();
        if (dialect == "json")
        {
            last.GetProperty("type").GetString().Should().Be("system");
            last.GetProperty("kind").GetString().Should().Be("restarting");
        }
        else
        {
            last.GetString().Should().StartWith("*** The server is restarting");
        }
    }
}
