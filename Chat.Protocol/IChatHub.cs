namespace Chat.Protocol;

/// <summary>
/// The methods the server's hub exposes; the method names are the SignalR method names. The hub
/// implements it and clients take names from it (<c>nameof(IChatHub.Join)</c>), so neither side can
/// rename a method without the other noticing at compile time.
/// </summary>
public interface IChatHub
{
    /// <summary>Joins the room (harmless when already a member) and returns its members and latest messages. <c>/join &lt;room&gt;</c></summary>
    Task<RoomSnapshot> Join(string room);

    /// <summary>Joins a room that has a key (<c>+k</c>); otherwise as <see cref="Join"/>. <c>/join &lt;room&gt; &lt;key&gt;</c></summary>
    Task<RoomSnapshot> JoinWithKey(string room, string key);

    /// <summary>Leaves the room. <c>/leave &lt;room&gt;</c></summary>
    Task Leave(string room);

    /// <summary>Leaves every room this connection is in; returns the rooms left. <c>/leave</c> with no room.</summary>
    Task<IReadOnlyList<string>> LeaveAll();

    /// <summary>Every room, by name. <c>/list</c></summary>
    Task<IReadOnlyList<RoomSummary>> ListRooms();

    /// <summary>This connection's rooms. <c>/rooms</c></summary>
    Task<IReadOnlyList<RoomSummary>> MyRooms();

    /// <summary>The members of one room. <c>/who &lt;room&gt;</c></summary>
    Task<RoomSummary> Who(string room);

    /// <summary>This connection's nickname and rooms.</summary>
    UserProfile Me();

    /// <summary>
    /// Sends <paramref name="text"/> to the room (the active room's <c>&lt;text&gt;</c>). A repeat with the
    /// same <paramref name="clientMessageId"/> from the same user returns the first result instead of a
    /// second message.
    /// </summary>
    Task<ChatMessage> SendMessage(string room, string text, string? clientMessageId);

    /// <summary>A private message to one connected user, not stored in history. <c>/msg &lt;nick&gt; &lt;text&gt;</c></summary>
    Task<DirectMessage> SendDirect(string nickname, string text, string? clientMessageId);

    /// <summary>Changes this user's nickname; returns the new one. <c>/nick &lt;name&gt;</c></summary>
    Task<string> SetNickname(string name);

    /// <summary>Tells the room's other members this user is typing.</summary>
    Task Typing(string room);

    /// <summary>Messages before <paramref name="beforeSeq"/> (0 = the latest), oldest first. <c>/history [n]</c></summary>
    Task<IReadOnlyList<ChatMessage>> History(string room, long beforeSeq, int limit);

    /// <summary>Catch-up after a reconnect: messages after <paramref name="afterSeq"/>, oldest first, at most 200 a call.</summary>
    Task<IReadOnlyList<ChatMessage>> MissedSince(string room, long afterSeq);

    /// <summary>The slash commands, so every client's <c>/help</c> is the same. <c>/help</c></summary>
    IReadOnlyList<CommandHelp> Help();

    /// <summary>The rooms now; afterwards <see cref="IChatClient.RoomsUpdated"/> whenever they change.</summary>
    Task<IReadOnlyList<LobbyRoom>> WatchLobby();

    /// <summary>Stops the <see cref="IChatClient.RoomsUpdated"/> events that <see cref="WatchLobby"/> started.</summary>
    Task UnwatchLobby();

    /// <summary>Sets the room's topic; an empty text clears it. Operators only. <c>/topic &lt;text&gt;</c></summary>
    Task<RoomInfo> SetTopic(string room, string topic);

    /// <summary>Takes every connection of the user out of the room, with an optional reason. Operators only. <c>/kick &lt;nick&gt; [reason]</c></summary>
    Task Kick(string room, string nickname, string? reason);

    /// <summary>Bans the user's account (or a guest's key) from joining and sending, and takes them out of the room. Operators only. <c>/ban &lt;nick&gt;</c></summary>
    Task Ban(string room, string nickname);

    /// <summary>Lifts a ban, by the name the user had when banned. Operators only. <c>/unban &lt;nick&gt;</c></summary>
    Task Unban(string room, string nickname);

    /// <summary>Makes a signed-in user an operator of the room. Operators only. <c>/op &lt;nick&gt;</c></summary>
    Task Op(string room, string nickname);

    /// <summary>Takes operator rights away (never the owner's). Operators only. <c>/deop &lt;nick&gt;</c></summary>
    Task Deop(string room, string nickname);

    /// <summary>Lets the user speak in a moderated room. Operators only. <c>/voice &lt;nick&gt;</c></summary>
    Task Voice(string room, string nickname);

    /// <summary>Takes voice away. Operators only. <c>/devoice &lt;nick&gt;</c></summary>
    Task Devoice(string room, string nickname);

    /// <summary>Lets a connected user into an invite-only room; they get <see cref="IChatClient.Invited"/>. Operators only. <c>/invite &lt;nick&gt;</c></summary>
    Task Invite(string room, string nickname);

    /// <summary>
    /// Changes one mode: <c>+i</c>/<c>-i</c> invite-only, <c>+k</c>/<c>-k</c> a key to join (<paramref name="key"/> with
    /// <c>+k</c>), <c>+m</c>/<c>-m</c> moderated. Operators only. <c>/mode &lt;+i|-i|+k key|-k|+m|-m&gt;</c>
    /// </summary>
    Task<RoomInfo> SetMode(string room, string mode, string? key);

    /// <summary>The room's settings with its key, bans and invitations, for the settings dialog. Operators only.</summary>
    Task<RoomSettings> GetRoomSettings(string room);
}
