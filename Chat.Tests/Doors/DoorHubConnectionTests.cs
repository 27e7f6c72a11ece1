using System.Net;
using Chat.Protocol;
using Chat.Server.Doors;
using Chat.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.DependencyInjection;

namespace Chat.Tests.Doors;

/// <summary>
/// The doors' way into the hub: an in-process hub connection through the hub's own pipeline, hosted
/// here on Kestrel so SignalR clients share the rooms with it.
/// </summary>
public sealed class DoorHubConnectionTests : IAsyncLifetime
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(15);

    private readonly InProcessChatServer _server = new();

    private Uri Address => _server.Address;

    private DoorHubConnections Doors => _server.Services.GetRequiredService<DoorHubConnections>();

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _server.DisposeAsync().AsTask();

    [Fact]
    public async Task A_door_user_and_a_signalr_user_share_a_room_both_ways()
    {
        var room = Names.Room("door");
        var received = new TaskCompletionSource<ChatMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var door = await Doors.ConnectAsync("test", Names.User("dora"), clientKey: null, accessToken: null, new IPEndPoint(IPAddress.Loopback, 40000), connection =>
            connection.On<ChatMessage>(nameof(IChatClient.ReceiveMessage), message =>
            {
                if (message.Text == "from signalr")
                {
                    received.TrySetResult(message);
                }
            }));
        await using var alice = await TestClient.ConnectAsync(Address, Names.User("alice"));
        await door.Hub.InvokeAsync<RoomSnapshot>(nameof(IChatHub.Join), room).WaitAsync(Timeout);
        await alice.Client.JoinAsync(room);

        await alice.Client.SendAsync(room, "from signalr");
        (await received.Task.WaitAsync(Timeout)).Room.Should().Be(room);

        var sent = await door.Hub.InvokeAsync<ChatMessage>(nameof(IChatHub.SendMessage), room, "from the door", null).WaitAsync(Timeout);
        (await alice.Messages.WaitForAsync(message => message.Text == "from the door")).Seq.Should().Be(sent.Seq);
    }

    [Fact]
    public async Task A_door_user_without_a_nickname_gets_one_from_the_server()
    {
        await using var door = await Doors.ConnectAsync("test", nickname: null, clientKey: null, accessToken: null, remote: null);

        door.Nickname.Should().NotBeNullOrWhiteSpace();
        (await door.Hub.InvokeAsync<UserProfile>(nameof(IChatHub.Me)).WaitAsync(Timeout)).Nickname.Should().Be(door.Nickname);
    }

    [Fact]
    public async Task A_taken_nickname_is_refused_with_the_hubs_sentence()
    {
        await using var alice = await TestClient.ConnectAsync(Address, Names.User("alice"));

        var connect = () => Doors.ConnectAsync("test", alice.Nickname, clientKey: null, accessToken: null, remote: null);

        (await connect.Should().ThrowAsync<DoorRefusedException>()).Which.Message
            .Should().Be($"The nickname {alice.Nickname} is already in use. Choose another one.");
    }

    [Fact]
    public async Task Closing_the_door_connection_takes_its_user_out_of_the_room()
    {
        var room = Names.Room("door");
        await using var alice = await TestClient.ConnectAsync(Address, Names.User("alice"));
        await alice.Client.JoinAsync(room);
        var door = await Doors.ConnectAsync("test", Names.User("dora"), clientKey: null, accessToken: null, remote: null);
        door.Nickname.Should().StartWith("dora");
        var snapshot = await door.Hub.InvokeAsync<RoomSnapshot>(nameof(IChatHub.Join), room).WaitAsync(Timeout);
        snapshot.Members.Should().Contain(alice.Nickname);

        await door.DisposeAsync();

        await alice.Leaves.WaitForAsync(presence => presence.Room == room);
        (await alice.Client.WhoAsync(room)).Users.Should().Equal(alice.Nickname);
    }
}
