using Chat.Protocol;
using Chat.Server.Rooms.Internal;

namespace Chat.Server.Rooms;

/// <summary>
/// The single-server registry. One lock guards all of its state: every operation is a few dictionary
/// look-ups, and one lock keeps users, connections and rooms consistent with each other without an
/// ordering to get wrong. <see cref="RoomsChanged"/> is raised outside the lock.
/// </summary>
public sealed class InMemoryRoomRegistry : IRoomRegistry
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, User> _users = new(StringComparer.Ordinal);
    private readonly Dictionary<string, User> _usersByNicknameKey = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Connection> _connections = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Room> _rooms = new(StringComparer.Ordinal);

    public event Action? RoomsChanged;

    public ValueTask<ConnectResult> ConnectAsync(string connectionId, string userId, string? nickname, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (!_users.TryGetValue(userId, out var user))
            {
                if (nickname is null)
                {
                    do
                    {
                        nickname = NicknameGenerator.Next();
                    }
                    while (_usersByNicknameKey.ContainsKey(Nickname.Key(nickname)));
                }
                else if (_usersByNicknameKey.ContainsKey(Nickname.Key(nickname)))
                {
                    return ValueTask.FromResult(new ConnectResult(ConnectOutcome.NicknameTaken, nickname));
                }

                user = new User(userId, nickname);
                _users.Add(userId, user);
                _usersByNicknameKey.Add(Nickname.Key(nickname), user);
            }

            // Another connection of a known user (a second tab, or a reconnect that beat the old
            // connection's timeout) shares that user's nickname.
            user.Connections.Add(connectionId);
            _connections[connectionId] = new Connection(connectionId, user);
            return ValueTask.FromResult(new ConnectResult(ConnectOutcome.Accepted, user.Nickname));
        }
    }

    public ValueTask<DisconnectResult> DisconnectAsync(string connectionId, CancellationToken cancellationToken = default)
    {
        DisconnectResult result;
        lock (_gate)
        {
            if (!_connections.Remove(connectionId, out var connection))
            {
                return ValueTask.FromResult(new DisconnectResult(null, [], []));
            }

            var left = new List<string>();
            var removed = new List<string>();
            foreach (var roomName in connection.Rooms)
            {
                var (userLeft, roomRemoved) = RemoveFromRoom(connection.User, roomName);
                if (userLeft)
                {
                    left.Add(roomName);
                }

                if (roomRemoved)
                {
                    removed.Add(roomName);
                }
            }

            var user = connection.User;
            user.Connections.Remove(connectionId);
            if (user.Connections.Count == 0)
            {
                _users.Remove(user.Id);
                _usersByNicknameKey.Remove(Nickname.Key(user.Nickname));
            }

            result = new DisconnectResult(user.Nickname, left, removed);
        }

        if (result.RoomsLeft.Count > 0)
        {
            RoomsChanged?.Invoke();
        }

        return ValueTask.FromResult(result);
    }

    public ValueTask<RenameResult> RenameAsync(string connectionId, string nickname, CancellationToken cancellationToken = default)
    {
        RenameResult result;
        lock (_gate)
        {
            var user = GetConnectionOrThrow(connectionId).User;
            var oldNickname = user.Nickname;
            if (oldNickname == nickname)
            {
                return ValueTask.FromResult(new RenameResult(RenameOutcome.Unchanged, oldNickname, nickname, []));
            }

            var newKey = Nickname.Key(nickname);
            if (_usersByNicknameKey.TryGetValue(newKey, out var holder) && holder != user)
            {
                return ValueTask.FromResult(new RenameResult(RenameOutcome.Taken, oldNickname, nickname, []));
            }

            _usersByNicknameKey.Remove(Nickname.Key(oldNickname));
            _usersByNicknameKey[newKey] = user;
            user.Nickname = nickname;

            var notify = new HashSet<string>(user.Connections, StringComparer.Ordinal);
            foreach (var roomName in user.Connections.SelectMany(id => _connections[id].Rooms).Distinct())
            {
                foreach (var memberId in _rooms[roomName].Members.Keys)
                {
                    notify.UnionWith(_users[memberId].Connections);
                }
            }

            result = new RenameResult(RenameOutcome.Renamed, oldNickname, nickname, [.. notify]);
        }

        RoomsChanged?.Invoke();
        return ValueTask.FromResult(result);
    }

    public ValueTask<JoinResult> JoinAsync(string connectionId, string room, int maxRoomsPerConnection, CancellationToken cancellationToken = default)
    {
        JoinResult result;
        lock (_gate)
        {
            var connection = GetConnectionOrThrow(connectionId);
            var user = connection.User;
            if (connection.Rooms.Contains(room))
            {
                return ValueTask.FromResult(new JoinResult(JoinOutcome.AlreadyMember, user.Nickname, false, MembersOf(_rooms[room])));
            }

            if (connection.Rooms.Count >= maxRoomsPerConnection)
            {
                return ValueTask.FromResult(new JoinResult(JoinOutcome.TooManyRooms, user.Nickname, false, []));
            }

            if (!_rooms.TryGetValue(room, out var entry))
            {
                entry = new Room(room);
                _rooms.Add(room, entry);
            }

            connection.Rooms.Add(room);
            entry.Members[user.Id] = entry.Members.GetValueOrDefault(user.Id) + 1;
            var userJoined = entry.Members[user.Id] == 1;
            result = new JoinResult(JoinOutcome.Joined, user.Nickname, userJoined, MembersOf(entry));
        }

        if (result.UserJoined)
        {
            RoomsChanged?.Invoke();
        }

        return ValueTask.FromResult(result);
    }

    public ValueTask<LeaveResult> LeaveAsync(string connectionId, string room, CancellationToken cancellationToken = default)
    {
        LeaveResult result;
        lock (_gate)
        {
            var connection = GetConnectionOrThrow(connectionId);
            if (!connection.Rooms.Remove(room))
            {
                return ValueTask.FromResult(new LeaveResult(false, connection.User.Nickname, false, false));
            }

            var (userLeft, roomRemoved) = RemoveFromRoom(connection.User, room);
            result = new LeaveResult(true, connection.User.Nickname, userLeft, roomRemoved);
        }

        if (result.UserLeft)
        {
            RoomsChanged?.Invoke();
        }

        return ValueTask.FromResult(result);
    }

    public ValueTask<IReadOnlyList<RoomSummary>> ListRoomsAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            IReadOnlyList<RoomSummary> rooms = [.. _rooms.Values
                .OrderBy(room => room.Name, StringComparer.Ordinal)
                .Select(Summarize)];
            return ValueTask.FromResult(rooms);
        }
    }

    public ValueTask<IReadOnlyList<LobbyRoom>> ListLobbyAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            IReadOnlyList<LobbyRoom> rooms = [.. _rooms.Values
                .OrderBy(room => room.Name, StringComparer.Ordinal)
                .Select(room => new LobbyRoom(room.Name, room.Members.Count))];
            return ValueTask.FromResult(rooms);
        }
    }

    public ValueTask<RoomSummary> GetRoomAsync(string room, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return ValueTask.FromResult(_rooms.TryGetValue(room, out var entry) ? Summarize(entry) : new RoomSummary(room, 0, []));
        }
    }

    public ValueTask<UserView?> FindUserAsync(string nickname, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return ValueTask.FromResult(_usersByNicknameKey.TryGetValue(Nickname.Key(nickname), out var user)
                ? new UserView(user.Id, user.Nickname)
                : null);
        }
    }

    public int LocalUserCount
    {
        get
        {
            lock (_gate)
            {
                return _users.Count;
            }
        }
    }

    public ConnectionView? GetConnection(string connectionId)
    {
        lock (_gate)
        {
            return _connections.TryGetValue(connectionId, out var connection)
                ? new ConnectionView(connectionId, connection.User.Id, connection.User.Nickname, [.. connection.Rooms.Order(StringComparer.Ordinal)])
                : null;
        }
    }

    public string? GetNickname(string connectionId)
    {
        lock (_gate)
        {
            return _connections.TryGetValue(connectionId, out var connection) ? connection.User.Nickname : null;
        }
    }

    public bool IsInRoom(string connectionId, string room)
    {
        lock (_gate)
        {
            return _connections.TryGetValue(connectionId, out var connection) && connection.Rooms.Contains(room);
        }
    }

    public string? GetNicknameInRoom(string connectionId, string room)
    {
        lock (_gate)
        {
            return _connections.TryGetValue(connectionId, out var connection) && connection.Rooms.Contains(room)
                ? connection.User.Nickname
                : null;
        }
    }

    private (bool UserLeft, bool RoomRemoved) RemoveFromRoom(User user, string roomName)
    {
        var room = _rooms[roomName];
        var remaining = room.Members[user.Id] - 1;
        if (remaining > 0)
        {
            room.Members[user.Id] = remaining;
            return (false, false);
        }

        room.Members.Remove(user.Id);
        if (room.Members.Count > 0)
        {
            return (true, false);
        }

        _rooms.Remove(roomName);
        return (true, true);
    }

    private Connection GetConnectionOrThrow(string connectionId) =>
        _connections.TryGetValue(connectionId, out var connection)
            ? connection
            : throw new InvalidOperationException($"Connection {connectionId} is not registered.");

    private RoomSummary Summarize(Room room)
    {
        var members = MembersOf(room);
        return new RoomSummary(room.Name, members.Count, members);
    }

    private IReadOnlyList<string> MembersOf(Room room)
    {
        // Every join answers with this list: an array sorted in place, no LINQ pipeline.
        var members = new string[room.Members.Count];
        var i = 0;
        foreach (var id in room.Members.Keys)
        {
            members[i++] = _users[id].Nickname;
        }

        Array.Sort(members, StringComparer.OrdinalIgnoreCase);
        return members;
    }

    private sealed class User(string id, string nickname)
    {
        public string Id { get; } = id;

        public string Nickname { get; set; } = nickname;

        public SmallSet Connections { get; } = new();
    }

    private sealed class Connection(string id, User user)
    {
        public string Id { get; } = id;

        public User User { get; } = user;

        public SmallSet Rooms { get; } = new();
    }

    private sealed class Room(string name)
    {
        public string Name { get; } = name;

        /// <summary>User id to how many of that user's connections are in the room.</summary>
        public Dictionary<string, int> Members { get; } = new(StringComparer.Ordinal);
    }
}
