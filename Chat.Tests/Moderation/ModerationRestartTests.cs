using Chat.Protocol;
using Chat.Tests.Infrastructure;

namespace Chat.Tests.Moderation;

/// <summary>A room's owner, topic, operators and bans are in the database: a restarted server still knows them.</summary>
public sealed class ModerationRestartTests
{
    [Fact]
    public async Task Topic_operators_and_bans_survive_a_restart()
    {
        var room = Names.Room();
        var ownerName = Names.User("owner");
        var opName = Names.User("op");
        var trollName = Names.User("troll");
        await using var server = await ChatServerProcess.StartAsync();
        await using (var owner = await RoomUser.AccountAsync(server.Address, ownerName))
        await using (var op = await RoomUser.AccountAsync(server.Address, opName))
        await using (var troll = await RoomUser.AccountAsync(server.Address, trollName))
        {
            await owner.JoinAsync(room);
            await op.JoinAsync(room);
            await owner.Call(nameof(IChatHub.Op), room, opName);
            await owner.Call<RoomInfo>(nameof(IChatHub.SetTopic), room, "survives restarts");
            await owner.Call(nameof(IChatHub.Ban), room, trollName);
        }

        await server.StopAsync();
        await server.StartAsync();

        await using var trollAgain = await RoomUser.SignedInAsync(server.Address, trollName);
        (await trollAgain.RefusalOf(user => user.JoinAsync(room))).Should().Be($"You are banned from #{room}.");
        await using var opAgain = await RoomUser.SignedInAsync(server.Address, opName);
        var snapshot = await opAgain.JoinAsync(room);
        snapshot.Info.Should().BeEquivalentTo(new RoomInfo(room, "survives restarts", ownerName, [opName], [], false, false, false));
        (await opAgain.Call<RoomSettings>(nameof(IChatHub.GetRoomSettings), room)).Banned.Should().Equal(trollName);
    }
}
