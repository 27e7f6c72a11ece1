using Chat.Protocol;

namespace Chat.Server.Rooms;

/// <summary>
/// Who is connected, under which nickname, and in which rooms. SignalR groups deliver messages but
/// cannot be listed, so this is the source of truth for lists, presence and nickname uniqueness.
/// A user is everything connected with the same user id (two tabs are one user): rooms count users,
/// and a user joins a room with its first connection there and leaves it with its last.
/// Names passed in are already validated and canonical (<see cref="RoomName"/>, <see cref="Nickname"/>).
/// </summary>
public interface IRoomRegistry
{
    /// <summary>Raised after rooms appear, disappear or change members, or a member is renamed.</summary>
    event Action? RoomsChanged;

    ValueTask<ConnectResult> ConnectAsync(string connectionId, string userId, string? nickname, CancellationToken cancellationToken = default);

    ValueTask<DisconnectResult> DisconnectAsync(string connectionId, CancellationToken cancellationToken = default);

    ValueTask<RenameResult> RenameAsync(string connectionId, string nickname, CancellationToken cancellationToken = default);

    ValueTask<JoinResult> JoinAsync(string connectionId, string room, int maxRoomsPerConnection, CancellationToken cancellationToken = default);

    ValueTask<LeaveResult> LeaveAsync(string connectionId, string room, CancellationToken cancellationToken = default);

    ValueTask<IReadOnlyList<RoomSummary>> ListRoomsAsync(CancellationToken cancellationToken = default);

    /// <summary>Every room's name and user count, by name: the lobby, without building member lists.</summary>
    ValueTask<IReadOnlyList<LobbyRoom>> ListLobbyAsync(CancellationToken cancellationToken = default);

    ValueTask<RoomSummary> GetRoomAsync(string room, CancellationToken cancellationToken = default);

    /// <summary>The user connected under this nickname (compared by <see cref="Nickname.Key"/>), or null.</summary>
    ValueTask<UserView?> FindUserAsync(string nickname, CancellationToken cancellationToken = default);

    /// <summary>Distinct users with a connection on this node (a user on two nodes counts on each).</summary>
    int LocalUserCount { get; }

    /// <summary>This connection's nickname and rooms; null for an unknown connection.</summary>
    ConnectionView? GetConnection(string connectionId);

    /// <summary>This connection's nickname, or null for an unknown connection: what every send needs, without copying its room list.</summary>
    string? GetNickname(string connectionId);

    bool IsInRoom(string connectionId, string room);

    /// <summary>
    /// This connection's nickname if it is in the room; null when it is not, or is not registered (an
    /// unknown connection is in no room). What every member-only send needs, in one look-up.
    /// </summary>
    string? GetNicknameInRoom(string connectionId, string room);
}
