using Chat.Protocol;
using Chat.Tests.Doors;
using Chat.Tests.Infrastructure;

namespace Chat.Tests.Moderation;

/// <summary>The line doors speak the operators' commands and show a room's changes.</summary>
public sealed class DoorModerationTests(ModerationServerFixture server) : IClassFixture<ModerationServerFixture>
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_ws_user_sees_the_topic_change_as_a_room_object_and_is_refused_the_command_with_the_sentence()
    {
        var room = Names.Room();
        var carol = Names.User("carol");
        await using var owner = await RoomUser.AccountAsync(server.Address, Names.User("owner"));
        await owner.JoinAsync(room);

        var ws = WebSocketDoorClient.RunAsync($"ws://127.0.0.1:{server.Server.Port}/ws?name={carol}", null,
            $"send:/join {room}", "wait:Joined room", "wait:set the topic", "send:/topic mine now", "wait:Only operators");
        await owner.Members.WaitForAsync(m => m.Changes.Any(c => c.Nickname == carol && c.Joined));
        await owner.Call<RoomInfo>(nameof(IChatHub.SetTopic), room, "set by the owner");

        var frames = WebSocketDoorClient.Frames(await ws.WaitAsync(Timeout));
        frames.Single(f => f.GetProperty("type").GetString() == "error").GetProperty("message").GetString()
            .Should().Be($"Only operators of #{room} can set the topic.");
        var change = frames.Single(f => f.GetProperty("type").GetString() == "room");
        change.GetProperty("action").GetString().Should().Be("topic");
        change.GetProperty("by").GetString().Should().Be(owner.Nickname);
        change.GetProperty("topic").GetString().Should().Be("set by the owner");
        change.GetProperty("message").GetString().Should().Be($"{owner.Nickname} set the topic of {room}: set by the owner");
    }

    [Fact]
    public async Task A_ws_user_kicked_from_a_room_is_told_and_is_out_of_it()
    {
        var room = Names.Room();
        var carol = Names.User("carol");
        await using var owner = await RoomUser.AccountAsync(server.Address, Names.User("owner"));
        await owner.JoinAsync(room);
        await owner.Call<RoomInfo>(nameof(IChatHub.SetTopic), room, "no trolls");

        var ws = WebSocketDoorClient.RunAsync($"ws://127.0.0.1:{server.Server.Port}/ws?name={carol}", null,
            $"send:/join {room}", "wait:Topic of", "wait:kicked you", "send:are you there", "wait:not in a room");
        await owner.Members.WaitForAsync(m => m.Changes.Any(c => c.Nickname == carol && c.Joined));
        await owner.Call(nameof(IChatHub.Kick), room, carol, "be nice");

        var texts = WebSocketDoorClient.Frames(await ws.WaitAsync(Timeout)).Select(f => f.GetProperty("message").GetString()).ToList();
        texts.Should().Contain($"Topic of {room}: no trolls");
        texts.Should().Contain($"{owner.Nickname} kicked you from {room}: be nice");
        texts.Should().Contain("You are not in a room yet. Join one with /join <room>, e.g. /join general.", "the door forgot the room it was kicked from");
    }
}
