namespace Chat.Protocol;

/// <summary>The events the server sends; the method names are the SignalR event names.</summary>
public interface IChatClient
{
    Task ReceiveMessage(ChatMessage message);

    Task ReceiveDirect(DirectMessage message);

    Task UserJoined(RoomPresence presence);

    Task UserLeft(RoomPresence presence);

    Task UserTyping(RoomPresence presence);

    Task NicknameChanged(NicknameChange change);

    Task RoomsUpdated(IReadOnlyList<RoomSummary> rooms);

    Task Notice(ServerNotice notice);
}
