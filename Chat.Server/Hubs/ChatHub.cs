using Chat.Protocol;
using Chat.Server.Accounts;
using Chat.Server.Accounts.Moderation;
using Chat.Server.Admin;
using Chat.Server.Doors;
using Chat.Server.History;
using Chat.Server.Hosting;
using Chat.Server.Rooms;
using Chat.Server.Transport;
using Microsoft.AspNetCore.Http.Connections.Features;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace Chat.Server.Hubs;

/// <summary>
/// The chat hub: validates each call, asks the registry and the message log, and sends through
/// <c>Clients</c>. Every broken rule is a <see cref="HubException"/> with a sentence for a person;
/// the connection stays up.
/// </summary>
public sealed partial class ChatHub(
    IRoomRegistry rooms,
    IMessageLog history,
    DirectMessageRetryCache directMessages,
    TypingThrottle typing,
    PresenceAnnouncer presence,
    RoomDeparture departure,
    ConnectionDrainer drainer,
    ChatMetrics metrics,
    RecentActivity activity,
    AccountNames accountNames,
    RoomAdmission admission,
    RoomModeration moderation,
    RoomSettingsCache roomSettings,
    IOptions<ChatLimitsOptions> limits,
    TimeProvider time,
    ILogger<ChatHub> logger) : Hub<IChatClient>, IChatHub
{
    public static string GroupOf(string room) => "room:" + room;

    public override async Task OnConnectedAsync()
    {
        if (drainer.IsStopping)
        {
            Context.Abort();
            return;
        }

        // Who the connection is (its token, checked by HubSignIn) decides the nickname it may hold.
        var entry = await accountNames.AdmitAsync(Context.Features, ConnectionRequest.Of(Context).Name, Context.ConnectionAborted);
        if (entry.Refusal is { } refusal)
        {
            metrics.Rejected(entry.Reason!);
            logger.ConnectionRefused(Context.ConnectionId, entry.Reason!);
            throw new HubException(refusal);
        }

        var nickname = entry.Nickname!;
        var result = await rooms.ConnectAsync(Context.ConnectionId, UserId, nickname, Context.ConnectionAborted);
        for (var attempt = 0; entry.Generated && result.Outcome == ConnectOutcome.NicknameTaken && attempt < 5; attempt++)
        {
            result = await rooms.ConnectAsync(Context.ConnectionId, UserId, await accountNames.GenerateGuestNameAsync(Context.ConnectionAborted), Context.ConnectionAborted);
        }

        if (result.Outcome == ConnectOutcome.NicknameTaken)
        {
            metrics.Rejected("nickname_taken");
            logger.ConnectionRefused(Context.ConnectionId, "nickname taken");
            throw new HubException(entry.SignedIn ? AccountNames.HeldByGuestSentence(nickname) : NicknameTaken(result.Nickname));
        }

        logger.Connected(Context.ConnectionId, result.Nickname);
        activity.Connected(Context.ConnectionId, result.Nickname);
        metrics.ConnectionOpened(TransportPath);
    }

    public override async Task OnDisconnectedAsync(Exception? exception)
    {
        var result = await rooms.DisconnectAsync(Context.ConnectionId);
        if (result.Nickname is null)
        {
            return;
        }

        metrics.ConnectionClosed(TransportPath);

        foreach (var room in result.RoomsLeft)
        {
            typing.Forget(UserId, room);
            presence.Announce(room, result.Nickname, joined: false);
        }

        foreach (var room in result.RoomsRemoved)
        {
            await history.EvictAsync(room);
        }

        var reason = exception?.Message ?? "closed by the client";
        logger.Disconnected(Context.ConnectionId, result.Nickname, result.RoomsLeft.Count, reason);
        activity.Disconnected(Context.ConnectionId, result.Nickname, reason);
    }

    // /join <room>
    public Task<RoomSnapshot> Join(string room) => JoinAsync(room, key: null);

    private async Task<RoomSnapshot> JoinAsync(string room, string? key)
    {
        var name = RoomName.Parse(room);
        var actor = Actor();
        await admission.AdmitAsync(name, actor, key, Context.ConnectionAborted);

        // Joining the group before reading the log means no message falls between the snapshot and
        // live delivery; one can arrive both ways, and clients drop the repeat by seq.
        await Groups.AddToGroupAsync(Context.ConnectionId, GroupOf(name), Context.ConnectionAborted);
        var result = await rooms.JoinAsync(Context.ConnectionId, name, limits.Value.MaxRoomsPerConnection, Context.ConnectionAborted);
        if (result.Outcome == JoinOutcome.TooManyRooms)
        {
            await Groups.RemoveFromGroupAsync(Context.ConnectionId, GroupOf(name), Context.ConnectionAborted);
            throw new HubException($"You can be in at most {limits.Value.MaxRoomsPerConnection} rooms at once. Leave one first.");
        }

        if (result.UserJoined)
        {
            logger.Joined(Context.ConnectionId, result.Nickname, name);
            presence.Announce(name, result.Nickname, joined: true);
        }

        await admission.JoinedAsync(name, actor, roomWasEmpty: result.UserJoined && result.Members.Count == 1, Context.ConnectionAborted);
        if (admission.OvertakenByBan(name, actor) is { } refusal)
        {
            await LeaveRoomAsync(name);
            throw refusal;
        }

        var (messages, lastSeq) = await history.GetLatestAsync(name, ChatEndpoints.JoinHistorySize, Context.ConnectionAborted);
        return new RoomSnapshot(name, result.Members, messages, lastSeq, roomSettings.InfoOf(name));
    }

    // /leave <room>
    public async Task Leave(string room)
    {
        var name = RoomName.Parse(room);
        if (!await LeaveRoomAsync(name))
        {
            throw new HubException($"You are not in room {name}.");
        }
    }

    // /leave (no room): leaves every room; returns the rooms left.
    public async Task<IReadOnlyList<string>> LeaveAll()
    {
        var joined = CurrentConnection().Rooms;
        foreach (var room in joined)
        {
            await LeaveRoomAsync(room);
        }

        return joined;
    }

    // /list
    public async Task<IReadOnlyList<RoomSummary>> ListRooms() => roomSettings.WithTopics(await rooms.ListRoomsAsync(Context.ConnectionAborted));

    // /rooms
    public async Task<IReadOnlyList<RoomSummary>> MyRooms()
    {
        var summaries = new List<RoomSummary>();
        foreach (var room in CurrentConnection().Rooms)
        {
            summaries.Add(await rooms.GetRoomAsync(room, Context.ConnectionAborted));
        }

        return roomSettings.WithTopics(summaries);
    }

    // /who <room>
    public async Task<RoomSummary> Who(string room) => roomSettings.WithTopic(await rooms.GetRoomAsync(RoomName.Parse(room), Context.ConnectionAborted));

    public UserProfile Me()
    {
        var connection = CurrentConnection();
        return new UserProfile(connection.Nickname, connection.Rooms, ChatUser.AccountOf(Context.User) is not null, accountNames.IsAdministrator(Context.User));
    }

    // <text> in the active room
    public async Task<ChatMessage> SendMessage(string room, string text, string? clientMessageId)
    {
        var received = time.GetTimestamp();
        var name = RoomName.Parse(room);
        var body = MessageText.Parse(text, limits.Value.MaxTextLength);
        var retryId = ClientMessageId(clientMessageId);
        var nickname = MemberNickname(name);
        admission.CheckSend(name, Actor(nickname));
        var group = Clients.Group(GroupOf(name));
        presence.Flush(name);

        // Delivery starts inside AppendAsync, not after it: the log hands the numbered message to
        // group.ReceiveMessage under the room's lock (in commit order in a cluster), so members get a
        // room's messages in seq order (docs/architecture.md, "A message's path").
        var message = await history.AppendAsync(name, UserId, nickname, body, retryId, group.ReceiveMessage, Context.ConnectionAborted);
        metrics.MessageReceived("room");
        logger.MessageSent(Context.ConnectionId, nickname, name, message.Seq, message.Text);
        metrics.SendAcknowledged(time.GetElapsedTime(received));
        return message;
    }

    // /msg <nick> <text>
    public async Task<DirectMessage> SendDirect(string nickname, string text, string? clientMessageId)
    {
        var body = MessageText.Parse(text, limits.Value.MaxTextLength);
        var retryId = ClientMessageId(clientMessageId);
        var target = Nickname.TryNormalize(nickname, out var normalized)
            ? await rooms.FindUserAsync(normalized, Context.ConnectionAborted)
            : null;
        if (target is null)
        {
            throw new HubException($"Nobody called {nickname} is connected.");
        }

        var sender = CurrentNickname();
        var message = await directMessages.SendAsync(
            UserId,
            retryId,
            () => new DirectMessage(Guid.CreateVersion7().ToString("N"), sender, target.Nickname, body, time.GetUtcNow()),
            message => Clients.Users(target.UserId, UserId).ReceiveDirect(message));
        metrics.MessageReceived("direct");
        logger.DirectSent(Context.ConnectionId, sender, message.To, message.Text);
        return message;
    }

    // /nick <name>
    public async Task<string> SetNickname(string name)
    {
        var nickname = Nickname.Parse(name);
        await accountNames.CheckRenameAsync(Context.User, nickname, Context.ConnectionAborted);
        var result = await rooms.RenameAsync(Context.ConnectionId, nickname, Context.ConnectionAborted);
        switch (result.Outcome)
        {
            case RenameOutcome.Taken:
                throw new HubException(NicknameTaken(nickname));
            case RenameOutcome.Renamed:
                logger.Renamed(Context.ConnectionId, result.OldNickname, result.NewNickname);
                await presence.FlushAllAsync();
                await Clients.Clients(result.NotifyConnectionIds).NicknameChanged(new NicknameChange(result.OldNickname, result.NewNickname));
                break;
        }

        return result.NewNickname;
    }

    // typing in <room>
    public async Task Typing(string room)
    {
        var name = RoomName.Parse(room);
        var nickname = MemberNickname(name);

        // Nobody is told that somebody who may not speak is typing.
        if (admission.MaySpeak(name, Actor(nickname)) && typing.TryPass(UserId, name))
        {
            await Clients.OthersInGroup(GroupOf(name)).UserTyping(new RoomPresence(name, nickname));
        }
    }

    // /history [n]: messages before beforeSeq (0 = the latest), oldest first.
    public async Task<IReadOnlyList<ChatMessage>> History(string room, long beforeSeq, int limit)
    {
        var name = MemberRoom(room);
        CheckPageSize(limit);
        return await history.GetBeforeAsync(name, beforeSeq <= 0 ? long.MaxValue : beforeSeq, limit, Context.ConnectionAborted);
    }

    // Catch-up after a reconnect: messages after afterSeq, oldest first, at most 200 a call.
    public async Task<IReadOnlyList<ChatMessage>> MissedSince(string room, long afterSeq)
    {
        var name = MemberRoom(room);
        return await history.GetAfterAsync(name, Math.Max(0, afterSeq), ChatEndpoints.MaxPageSize, Context.ConnectionAborted);
    }

    // /help
    public IReadOnlyList<CommandHelp> Help() => ChatCommands.All;

    public async Task<IReadOnlyList<LobbyRoom>> WatchLobby()
    {
        await Groups.AddToGroupAsync(Context.ConnectionId, LobbyBroadcaster.GroupName, Context.ConnectionAborted);
        return roomSettings.WithTopics(await rooms.ListLobbyAsync(Context.ConnectionAborted));
    }

    public Task UnwatchLobby() => Groups.RemoveFromGroupAsync(Context.ConnectionId, LobbyBroadcaster.GroupName, Context.ConnectionAborted);

    /// <summary>How the connection arrived, the label of <c>chat.connections</c>: a door's name, <c>http</c> or <c>direct</c>.</summary>
    private string TransportPath =>
        Context.Features.Get<DoorFeature>()?.Door ?? (Context.Features.Get<IHttpContextFeature>() is null ? "direct" : "http");

    private string UserId => Context.UserIdentifier ?? ChatUserIdProvider.ForConnection(Context.ConnectionId);

    private static string NicknameTaken(string nickname) => $"The nickname {nickname} is already in use. Choose another one.";

    private static string ClientMessageId(string? clientMessageId)
    {
        if (string.IsNullOrEmpty(clientMessageId))
        {
            return Guid.NewGuid().ToString("N");
        }

        return clientMessageId.Length <= 64
            ? clientMessageId
            : throw new HubException("A client message id may be at most 64 characters.");
    }

    private static void CheckPageSize(int limit)
    {
        if (limit is < 1 or > ChatEndpoints.MaxPageSize)
        {
            throw new HubException($"Ask for 1 to {ChatEndpoints.MaxPageSize} messages at a time.");
        }
    }

    private ConnectionView CurrentConnection() =>
        rooms.GetConnection(Context.ConnectionId) ?? throw NotRegistered();

    private string CurrentNickname() => rooms.GetNickname(Context.ConnectionId) ?? throw NotRegistered();

    private static HubException NotRegistered() => new("This connection is not registered; reconnect.");

    private string MemberRoom(string room) => EnsureMember(RoomName.Parse(room));

    /// <summary>The canonical room name, if this connection is in it; otherwise the sentence that says how to join.</summary>
    private string EnsureMember(string name) =>
        rooms.IsInRoom(Context.ConnectionId, name) ? name : throw NotMember(name);

    /// <summary>This connection's nickname, if it is in the room (one registry look-up answers both); otherwise the sentence that says how to join.</summary>
    private string MemberNickname(string name) =>
        rooms.GetNicknameInRoom(Context.ConnectionId, name) ?? throw NotMember(name);

    private static HubException NotMember(string name) => new($"You are not in room {name}. Join it first with /join {name}.");

    private Task<bool> LeaveRoomAsync(string room) => departure.LeaveAsync(Context.ConnectionId, UserId, room, Context.ConnectionAborted);
}
