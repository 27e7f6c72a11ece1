using Chat.Protocol;
using Microsoft.AspNetCore.SignalR;

namespace Chat.Server.Hubs;

// Room moderation: owners and operators run their rooms (docs/protocol.md, "Rooms people own").
public sealed partial class ChatHub
{
    // /join <room> <key>
    public Task<RoomSnapshot> JoinWithKey(string room, string key) => Join(room);

    // /topic [text]
    public Task<RoomInfo> SetTopic(string room, string topic) => throw NotYet();

    // /kick <nick> [reason]
    public Task Kick(string room, string nickname, string? reason) => throw NotYet();

    // /ban <nick>
    public Task Ban(string room, string nickname) => throw NotYet();

    // /unban <nick>
    public Task Unban(string room, string nickname) => throw NotYet();

    // /op <nick>
    public Task Op(string room, string nickname) => throw NotYet();

    // /deop <nick>
    public Task Deop(string room, string nickname) => throw NotYet();

    // /voice <nick>
    public Task Voice(string room, string nickname) => throw NotYet();

    // /devoice <nick>
    public Task Devoice(string room, string nickname) => throw NotYet();

    // /invite <nick>
    public Task Invite(string room, string nickname) => throw NotYet();

    // /mode <+i|-i|+k key|-k|+m|-m>
    public Task<RoomInfo> SetMode(string room, string mode, string? key) => throw NotYet();

    public Task<RoomSettings> GetRoomSettings(string room) => throw NotYet();

    private static HubException NotYet() => new("Room moderation is not available on this server yet.");
}
