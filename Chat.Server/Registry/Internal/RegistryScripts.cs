namespace Chat.Server.Registry.Internal;

/// <summary>
/// The cluster registry's operations as Lua scripts: each runs atomically in Redis, so two nodes never
/// see half of one change, and a dead node's connections are removed (and their rooms told) by exactly
/// one sweeper. Every script takes the key prefix as ARGV[1]. Keys (after the prefix):
/// <list type="table">
/// <item><term>conn:{c}</term><description>hash: user, node</description></item>
/// <item><term>conn:{c}:rooms</term><description>set: the connection's rooms</description></item>
/// <item><term>user:{u}</term><description>hash: nick, key (the nickname's comparison key)</description></item>
/// <item><term>user:{u}:conns</term><description>set: the user's connections on every node</description></item>
/// <item><term>user:{u}:rooms</term><description>hash: room to how many of the user's connections are in it</description></item>
/// <item><term>room:{r}</term><description>set: users in the room</description></item>
/// <item><term>rooms</term><description>set: rooms with at least one user</description></item>
/// <item><term>nick:{key}</term><description>string: the user that owns the nickname</description></item>
/// <item><term>nodes</term><description>set: nodes that have registered</description></item>
/// <item><term>node:{n}:alive</term><description>string with a TTL: the node's heartbeat</description></item>
/// <item><term>node:{n}:conns</term><description>set: the node's connections</description></item>
/// </list>
/// Keys are built inside the scripts, which a single Redis (not Redis Cluster) allows.
/// </summary>
internal static class RegistryScripts
{
    private const string Helpers = """
        local p = ARGV[1]
        local function conn_key(c) return p .. 'conn:' .. c end
        local function conn_rooms_key(c) return p .. 'conn:' .. c .. ':rooms' end
        local function user_key(u) return p .. 'user:' .. u end
        local function user_conns_key(u) return p .. 'user:' .. u .. ':conns' end
        local function user_rooms_key(u) return p .. 'user:' .. u .. ':rooms' end
        local function room_key(r) return p .. 'room:' .. r end
        local function nick_key(k) return p .. 'nick:' .. k end
        local function node_conns_key(n) return p .. 'node:' .. n .. ':conns' end
        local function alive_key(n) return p .. 'node:' .. n .. ':alive' end
        local rooms_key = p .. 'rooms'
        local nodes_key = p .. 'nodes'

        -- 0: already in the room; 1: in, the user was already there; 2: the user joined
        local function join(c, u, r)
          if redis.call('SADD', conn_rooms_key(c), r) == 0 then return 0 end
          if redis.call('HINCRBY', user_rooms_key(u), r, 1) > 1 then return 1 end
          redis.call('SADD', room_key(r), u)
          redis.call('SADD', rooms_key, r)
          return 2
        end

        -- 0: was not in the room; 1: out, the user is still there; 2: the user left; 3: left and the room is empty
        local function leave(c, u, r)
          if redis.call('SREM', conn_rooms_key(c), r) == 0 then return 0 end
          if redis.call('HINCRBY', user_rooms_key(u), r, -1) > 0 then return 1 end
          redis.call('HDEL', user_rooms_key(u), r)
          redis.call('SREM', room_key(r), u)
          if redis.call('SCARD', room_key(r)) > 0 then return 2 end
          redis.call('SREM', rooms_key, r)
          return 3
        end

        local function members(r)
          local names = {}
          for _, u in ipairs(redis.call('SMEMBERS', room_key(r))) do
            local nick = redis.call('HGET', user_key(u), 'nick')
            if nick then names[#names + 1] = nick end
          end
          return names
        end

        -- Removes a connection: {nick, rooms the user left, rooms now empty}, or false when unknown.
        local function drop(c)
          local u = redis.call('HGET', conn_key(c), 'user')
          if not u then return false end
          local node = redis.call('HGET', conn_key(c), 'node')
          local nick = redis.call('HGET', user_key(u), 'nick') or ''
          local left, emptied = {}, {}
          for _, r in ipairs(redis.call('SMEMBERS', conn_rooms_key(c))) do
            local outcome = leave(c, u, r)
            if outcome >= 2 then left[#left + 1] = r end
            if outcome == 3 then emptied[#emptied + 1] = r end
          end
          redis.call('DEL', conn_key(c), conn_rooms_key(c))
          if node then redis.call('SREM', node_conns_key(node), c) end
          redis.call('SREM', user_conns_key(u), c)
          if redis.call('SCARD', user_conns_key(u)) == 0 then
            local key = redis.call('HGET', user_key(u), 'key')
            if key and redis.call('GET', nick_key(key)) == u then redis.call('DEL', nick_key(key)) end
            redis.call('DEL', user_key(u), user_rooms_key(u))
          end
          return {nick, left, emptied}
        end

        local function attach(node, c, u)
          redis.call('HSET', conn_key(c), 'user', u, 'node', node)
          redis.call('SADD', user_conns_key(u), c)
          redis.call('SADD', node_conns_key(node), c)
        end

        -- Points the nickname at the user, freeing the user's previous one.
        local function claim(u, nick, key)
          local old_key = redis.call('HGET', user_key(u), 'key')
          if old_key and old_key ~= key and redis.call('GET', nick_key(old_key)) == u then
            redis.call('DEL', nick_key(old_key))
          end
          redis.call('SET', nick_key(key), u)
          redis.call('HSET', user_key(u), 'nick', nick, 'key', key)
        end

        """;

    /// <summary>ARGV: prefix, node, connection, user, nickname, nickname key. Returns {1, nickname the user has} or {0, nickname} when taken.</summary>
    public const string Connect = Helpers + """
        local node, c, u, nick, key = ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6]
        local current = redis.call('HGET', user_key(u), 'nick')
        if not current then
          local holder = redis.call('GET', nick_key(key))
          if holder and holder ~= u then return {0, nick} end
          claim(u, nick, key)
          current = nick
        end
        attach(node, c, u)
        return {1, current}
        """;

    /// <summary>ARGV: prefix, connection. Returns {nickname, rooms left, rooms emptied}, or nil when unknown.</summary>
    public const string Disconnect = Helpers + """
        return drop(ARGV[2])
        """;

    /// <summary>ARGV: prefix, connection, room. Returns {outcome of join, members' nicknames}; {-1} for an unknown connection.</summary>
    public const string Join = Helpers + """
        local u = redis.call('HGET', conn_key(ARGV[2]), 'user')
        if not u then return {-1} end
        local outcome = join(ARGV[2], u, ARGV[3])
        return {outcome, members(ARGV[3])}
        """;

    /// <summary>ARGV: prefix, connection, room. Returns the outcome of leave; -1 for an unknown connection.</summary>
    public const string Leave = Helpers + """
        local u = redis.call('HGET', conn_key(ARGV[2]), 'user')
        if not u then return -1 end
        return leave(ARGV[2], u, ARGV[3])
        """;

    /// <summary>
    /// ARGV: prefix, connection, nickname, nickname key. Returns {1, connections to tell} (the user's
    /// own and those of everyone sharing a room with it, on every node), {0} when taken, {-1} for an
    /// unknown connection.
    /// </summary>
    public const string Rename = Helpers + """
        local u = redis.call('HGET', conn_key(ARGV[2]), 'user')
        if not u then return {-1} end
        local holder = redis.call('GET', nick_key(ARGV[4]))
        if holder and holder ~= u then return {0} end
        claim(u, ARGV[3], ARGV[4])
        local notify, seen = {}, {}
        local function add_user(member)
          for _, c in ipairs(redis.call('SMEMBERS', user_conns_key(member))) do
            if not seen[c] then
              seen[c] = true
              notify[#notify + 1] = c
            end
          end
        end
        add_user(u)
        for _, r in ipairs(redis.call('HKEYS', user_rooms_key(u))) do
          for _, member in ipairs(redis.call('SMEMBERS', room_key(r))) do add_user(member) end
        end
        return {1, notify}
        """;

    /// <summary>ARGV: prefix. Returns {{room, {nicknames}}, ...}.</summary>
    public const string ListRooms = Helpers + """
        local result = {}
        for _, r in ipairs(redis.call('SMEMBERS', rooms_key)) do
          result[#result + 1] = {r, members(r)}
        end
        return result
        """;

    /// <summary>
    /// ARGV: prefix. Returns {{room, user count}, ...} for the lobby: the counts <see cref="ListRooms"/>
    /// gives (one per user, however many connections it has), without member names. Rooms where no
    /// user is counted are left out, as the registry drops them from <see cref="ListRooms"/>' answer.
    /// </summary>
    public const string LobbyCounts = Helpers + """
        local result = {}
        for _, r in ipairs(redis.call('SMEMBERS', rooms_key)) do
          local count = #members(r)
          if count > 0 then result[#result + 1] = {r, count} end
        end
        return result
        """;

    /// <summary>ARGV: prefix, room. Returns the members' nicknames.</summary>
    public const string Members = Helpers + """
        return members(ARGV[2])
        """;

    /// <summary>ARGV: prefix, nickname key. Returns {user, nickname} or nil.</summary>
    public const string FindUser = Helpers + """
        local u = redis.call('GET', nick_key(ARGV[2]))
        if not u then return false end
        local nick = redis.call('HGET', user_key(u), 'nick')
        if not nick then return false end
        return {u, nick}
        """;

    /// <summary>
    /// ARGV: prefix, node, TTL in milliseconds. Renews the node's heartbeat; returns 0 when it was gone
    /// (first beat, expired, swept, or Redis lost its data), which means: register everything again.
    /// </summary>
    public const string Beat = Helpers + """
        if redis.call('SET', alive_key(ARGV[2]), '1', 'PX', ARGV[3], 'XX') then return 1 end
        redis.call('SET', alive_key(ARGV[2]), '1', 'PX', ARGV[3])
        redis.call('SADD', nodes_key, ARGV[2])
        return 0
        """;

    /// <summary>
    /// ARGV: prefix, node, '1' to remove a live node (its own goodbye). Removes every connection of a
    /// node whose heartbeat expired, atomically, so only one sweeper announces. Returns nil when the
    /// node is alive, else {room, nickname, room, nickname, ...} for the users that left rooms.
    /// </summary>
    public const string Sweep = Helpers + """
        local node = ARGV[2]
        if ARGV[3] == '1' then
          redis.call('DEL', alive_key(node))
        elseif redis.call('EXISTS', alive_key(node)) == 1 then
          return false
        end
        local departures = {}
        for _, c in ipairs(redis.call('SMEMBERS', node_conns_key(node))) do
          local dropped = drop(c)
          if dropped then
            for _, r in ipairs(dropped[2]) do
              departures[#departures + 1] = r
              departures[#departures + 1] = dropped[1]
            end
          end
        end
        redis.call('DEL', node_conns_key(node))
        redis.call('SREM', nodes_key, node)
        return departures
        """;

    /// <summary>
    /// ARGV: prefix, node, connection, user, nickname, nickname key, rooms... Makes Redis hold what this
    /// node knows about one connection (after an outage, or after Redis lost its data). Returns
    /// {nickname conflict 0/1, renamed 0/1, rooms the user joined, rooms the user left}.
    /// </summary>
    public const string Sync = Helpers + """
        local node, c, u, nick, key = ARGV[2], ARGV[3], ARGV[4], ARGV[5], ARGV[6]
        local conflict, renamed = 0, 0
        local current = redis.call('HGET', user_key(u), 'nick')
        if current ~= nick then
          local holder = redis.call('GET', nick_key(key))
          if holder and holder ~= u then
            conflict = 1
            if not current then redis.call('HSET', user_key(u), 'nick', nick, 'key', key) end
          else
            claim(u, nick, key)
            if current then renamed = 1 end
          end
        end
        attach(node, c, u)
        local wanted = {}
        for i = 7, #ARGV do wanted[ARGV[i]] = true end
        local joined, left = {}, {}
        for _, r in ipairs(redis.call('SMEMBERS', conn_rooms_key(c))) do
          if not wanted[r] and leave(c, u, r) >= 2 then left[#left + 1] = r end
        end
        for i = 7, #ARGV do
          if join(c, u, ARGV[i]) == 2 then joined[#joined + 1] = ARGV[i] end
        end
        return {conflict, renamed, joined, left}
        """;
}
