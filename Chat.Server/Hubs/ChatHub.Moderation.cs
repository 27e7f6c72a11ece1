using Chat.Protocol;
using Chat.Server.Accounts;
using Chat.Server.Accounts.Moderation;
using Chat.Server.Rooms;

namespace Chat.Server.Hubs;

// Room moderation: owners and operators run their rooms (docs/protocol.md, "Rooms people own"). The
// rules live in RoomModeration; these only name the room and the caller.
public sealed partial class ChatHub
{
    // /join <room> <key>
    public Task<RoomSnapshot> JoinWithKey(string room, string key) => JoinAsync(room, key);

    // /topic [text]
    public Task<RoomInfo> SetTopic(string room, string topic) =>
        moderation.SetTopicAsync(RoomName.Parse(room), Actor(), topic, Context.ConnectionAborted);

    // /kick <nick> [reason]
    public Task Kick(string room, string nickname, string? reason) =>
        moderation.KickAsync(RoomName.Parse(room), Actor(), nickname, reason, Context.ConnectionAborted);

    // /ban <nick>
    public Task Ban(string room, string nickname) =>
        moderation.BanAsync(RoomName.Parse(room), Actor(), nickname, Context.ConnectionAborted);

    // /unban <nick>
    public Task Unban(string room, string nickname) =>
        moderation.UnbanAsync(RoomName.Parse(room), Actor(), nickname, Context.ConnectionAborted);

    // /op <nick>
    public Task Op(string room, string nickname) =>
        moderation.OpAsync(RoomName.Parse(room), Actor(), nickname, Context.ConnectionAborted);

    // /deop <nick>
    public Task Deop(string room, string nickname) =>
        moderation.DeopAsync(RoomName.Parse(room), Actor(), nickname, Context.ConnectionAborted);

    // /voice <nick>
    public Task Voice(string room, string nickname) =>
        moderation.VoiceAsync(RoomName.Parse(room), Actor(), nickname, Context.ConnectionAborted);

    // /devoice <nick>
    public Task Devoice(string room, string nickname) =>
        moderation.DevoiceAsync(RoomName.Parse(room), Actor(), nickname, Context.ConnectionAborted);

    // /invite <nick>
    public Task Invite(string room, string nickname) =>
        moderation.InviteAsync(RoomName.Parse(room), Actor(), nickname, Context.ConnectionAborted);

    // /mode <+i|-i|+k key|-k|+m|-m>
    public Task<RoomInfo> SetMode(string room, string mode, string? key) =>
        moderation.SetModeAsync(RoomName.Parse(room), Actor(), mode, key, Context.ConnectionAborted);

    public Task<RoomSettings> GetRoomSettings(string room) =>
        moderation.GetSettingsAsync(RoomName.Parse(room), Actor(), Context.ConnectionAborted);

    /// <summary>The caller as moderation sees them: user id, nickname, account and whether a server administrator.</summary>
    private RoomActor Actor(string? nickname = null)
    {
        return new RoomActor(UserId, nickname ?? CurrentNickname(), ChatUser.AccountOf(Context.User), accountNames.IsAdministrator(Context.User));
    }
}
