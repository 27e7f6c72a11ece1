using Chat.Tests.Infrastructure;

namespace Chat.Tests.Doors;

/// <summary>A door client that stops reading is dropped; the room carries on. Sends unthrottled, so the room can outrun it quickly.</summary>
[Collection(HeavyLoadCollection.Name)]
public sealed class DoorStallTests(UnthrottledServerFixture server) : IClassFixture<UnthrottledServerFixture>
{
    [Fact]
    public async Task A_door_client_that_stops_reading_is_dropped_and_the_room_carries_on()
    {
        var room = Names.Room("stall");
        var stally = Names.User("stally");
        await using var alice = await TestClient.ConnectAsync(server.Address, Names.User("alice"));
        await alice.Client.JoinAsync(room);
        var python = RoomDoorsClient.RunAsync("stall", server.Address, room, stally, "22");
        await OutrunUntilDroppedAsync(alice, room, stally);
        var report = await python.WaitAsync(TimeSpan.FromSeconds(40));
        report.GetProperty("code").GetInt32().Should().NotBe(1000, "the server dropped the stalled client rather than saying goodbye");
    }

    [Fact]
    public async Task A_ws_client_that_stops_reading_is_dropped_and_the_room_carries_on()
    {
        var room = Names.Room("stall");
        var stally = Names.User("stally");
        await using var alice = await TestClient.ConnectAsync(server.Address, Names.User("alice"));
        await alice.Client.JoinAsync(room);
        var python = WebSocketDoorClient.RunAsync($"ws://{server.Address.Authority}/ws?name={stally}", null, $"send:/join {room}", "wait:Joined room", "stall:22");
        await OutrunUntilDroppedAsync(alice, room, stally);
        var report = await python.WaitAsync(TimeSpan.FromSeconds(40));
        WebSocketDoorClient.CloseCode(report).Should().NotBe(1000, "the server dropped the stalled client rather than saying goodbye");
    }

    /// <summary>
    /// Sends large messages into the room until the stalled member leaves it (40 s at most), then shows
    /// the room carries on without it.
    /// </summary>
    private static async Task OutrunUntilDroppedAsync(TestClient alice, string room, string stally)
    {
        await alice.Joins.WaitForAsync(p => p.Room == room && p.Nickname == stally);

        var left = alice.Leaves.WaitForAsync(p => p.Room == room && p.Nickname == stally, TimeSpan.FromSeconds(40));
        var text = new string('字', 2000);
        while (!left.IsCompleted)
        {
            await alice.Client.SendAsync(room, text);
        }

        await left;
        var sent = await alice.Client.SendAsync(room, "still going");
        (await alice.Messages.WaitForAsync(m => m.Id == sent.Id)).Room.Should().Be(room);
        (await alice.Client.WhoAsync(room)).Users.Should().Equal(alice.Nickname);
    }
}
