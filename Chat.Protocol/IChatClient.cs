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

    /// <summary>An administrator closed the room: the server has already taken this connection out of it.</summary>
    Task RoomClosed(RoomClosure closure);

    /// <summary>An operator changed the room (topic, modes, roles) or kicked or banned somebody; see <see cref="RoomEvent"/>.</summary>
    Task RoomChanged(RoomEvent change);

    /// <summary>An operator invited this user into a room.</summary>
    Task Invited(RoomInvitation invitation);
}
