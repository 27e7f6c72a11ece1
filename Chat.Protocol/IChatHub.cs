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
}
