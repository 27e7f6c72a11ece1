namespace Chat.Protocol;

/// <summary>The events the server sends; the method names are the SignalR event names.</summary>
public interface IChatClient
{
    Task ReceiveMessage(ChatMessage message);

    Task ReceiveDirect(DirectMessage message);

    Task MembersChanged(RoomMembersChanged change);

    Task UserTyping(RoomPresence presence);

    Task NicknameChanged(NicknameChange change);

    Task RoomsUpdated(IReadOnlyList<LobbyRoom> rooms);

    Task Notice(ServerNotice notice);
}
