using System.Security.Cryptography;
using System.Text;
using Chat.Protocol;
using Chat.Server.Accounts.Moderation.Internal;
using Chat.Server.Admin.Internal;
using Chat.Server.Hubs;
using Chat.Server.Registry;
using Chat.Server.Rooms;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace Chat.Server.Accounts.Moderation;

/// <summary>
/// Rooms people own: who may join and speak (checked against this node's <see cref="RoomSettingsCache"/>),
/// who owns a new room, and what owners and operators do. Every change is written to the store, read back
/// by every node (through <see cref="AdminCommandChannel"/>, as the admin screen's "close room" reaches
/// them), and each node then shows the <c>RoomChanged</c> to the room's members there; for a kick or ban it
/// then takes the user's connections there out of the room through the hub's own leave.
/// </summary>
public sealed class RoomModeration
{
    private readonly RoomSettingsCache _settings;
    private readonly IRoomSettingsStore _store;
    private readonly IRoomRegistry _rooms;
    private readonly IHubContext<ChatHub, IChatClient> _hub;
    private readonly AdminCommandChannel _cluster;
    private readonly IOptions<AuthOptions> _auth;
    private readonly TimeProvider _time;
    private readonly ILogger<RoomModeration> _logger;
    private readonly string _node;

    internal RoomModeration(
        RoomSettingsCache settings,
        IRoomSettingsStore store,
        IRoomRegistry rooms,
        IHubContext<ChatHub, IChatClient> hub,
        AdminCommandChannel cluster,
        IOptions<AuthOptions> auth,
        TimeProvider time,
        ILogger<RoomModeration> logger,
        RedisConnection? redis)
    {
        _settings = settings;
        _store = store;
        _rooms = rooms;
        _hub = hub;
        _cluster = cluster;
        _auth = auth;
        _time = time;
        _logger = logger;
        _node = redis?.NodeId ?? Environment.MachineName;
    }

    /// <summary>What every member may know of the room's settings.</summary>
    public RoomInfo InfoOf(string room) => _settings.Find(room) is { } registration ? InfoOf(registration) : RoomInfo.Unowned(room);

    public string? TopicOf(string room) => _settings.Find(room)?.Topic;

    /// <summary>Whether the caller acts as an operator of the room.</summary>
    public bool IsOperator(string room, RoomActor actor) => IsOperator(_settings.Find(room), actor);

    /// <summary>
    /// Refuses a join the room's settings forbid: a ban; then, unless an operator, a missing or wrong key
    /// and an invite-only room without an invitation (a user already in the room may open another
    /// connection there). Returns whether the join uses up an invitation.
    /// </summary>
    public async Task<bool> AdmitAsync(string room, RoomActor actor, string? key, CancellationToken cancellationToken = default)
    {
        if (_settings.Find(room) is not { } registration)
        {
            return false;
        }

        if (registration.Has(RoomList.Banned, actor.UserId))
        {
            throw Refuse(actor, room, "banned", Refusals.Banned(room));
        }

        if (IsOperator(registration, actor))
        {
            return false;
        }

        if (registration.Key is { } roomKey)
        {
            if (string.IsNullOrEmpty(key))
            {
                throw Refuse(actor, room, "no key", Refusals.NeedsKey(room));
            }

            if (!CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(key), Encoding.UTF8.GetBytes(roomKey)))
            {
                throw Refuse(actor, room, "wrong key", Refusals.WrongKey(room));
            }
        }

        if (!registration.InviteOnly)
        {
            return false;
        }

        if (registration.Has(RoomList.Invited, actor.UserId))
        {
            return true;
        }

        var members = await _rooms.GetRoomAsync(room, cancellationToken);
        return members.Users.Any(user => SameName(user, actor.Nickname))
            ? false
            : throw Refuse(actor, room, "invite-only", Refusals.InviteOnly(room));
    }

    /// <summary>
    /// After a join: a signed-in user who opened a room that had no members and no registration owns it
    /// from now on; an invitation the join used is used up.
    /// </summary>
    public async Task JoinedAsync(string room, RoomActor actor, bool roomWasEmpty, bool usedInvitation, CancellationToken cancellationToken = default)
    {
        if (usedInvitation && await _store.RemoveEntriesAsync(room, RoomList.Invited, [actor.UserId], cancellationToken) > 0)
        {
            await TellNodesAsync(room, actor, change: null, removing: null, cancellationToken);
        }

        if (roomWasEmpty && actor.Account is { } account && _settings.Find(room) is null
            && await _store.RegisterAsync(room, account, _time.GetUtcNow(), cancellationToken))
        {
            await TellNodesAsync(room, actor, change: null, removing: null, cancellationToken);
            _logger.Claimed(account, room);
        }
    }

    /// <summary>Refuses a message from a banned user, and in a moderated room from anyone but operators and voiced users.</summary>
    public void CheckSend(string room, RoomActor actor)
    {
        if (_settings.Find(room) is not { } registration)
        {
            return;
        }

        if (registration.Has(RoomList.Banned, actor.UserId))
        {
            throw Refusals.Banned(room);
        }

        if (registration.Moderated && !registration.Has(RoomList.Voiced, actor.UserId) && !IsOperator(registration, actor))
        {
            throw Refusals.Moderated(room);
        }
    }

    /// <summary>Whether the user may speak (typing in a moderated room is not shown for those who may not).</summary>
    public bool MaySpeak(string room, RoomActor actor)
    {
        var registration = _settings.Find(room);
        return registration is null
            || (!registration.Has(RoomList.Banned, actor.UserId)
                && (!registration.Moderated || registration.Has(RoomList.Voiced, actor.UserId) || IsOperator(registration, actor)));
    }

    // /topic [text]
    public async Task<RoomInfo> SetTopicAsync(string room, RoomActor actor, string? topic, CancellationToken cancellationToken = default)
    {
        await AuthorizeAsync(room, actor, "set the topic", register: true, cancellationToken);
        var text = string.IsNullOrWhiteSpace(topic) ? null : topic.Trim();
        if (text is { Length: > Refusals.MaxTopicLength })
        {
            throw Refusals.TopicTooLong();
        }

        if (text is not null && text.Any(char.IsControl))
        {
            throw Refusals.TopicLines();
        }

        await _store.SetTopicAsync(room, text, cancellationToken);
        _logger.ModeratedDetail(actor.Nickname, room, RoomActions.Topic, text);
        return await AnnounceAsync(room, actor, RoomActions.Topic, target: null, text, cancellationToken);
    }

    // /mode <+i|-i|+k key|-k|+m|-m>
    public async Task<RoomInfo> SetModeAsync(string room, RoomActor actor, string mode, string? key, CancellationToken cancellationToken = default)
    {
        await AuthorizeAsync(room, actor, "change modes", register: true, cancellationToken);
        switch (mode)
        {
            case "+i" or "-i":
                await _store.SetInviteOnlyAsync(room, mode[0] == '+', cancellationToken);
                break;
            case "+k":
                if (string.IsNullOrEmpty(key))
                {
                    throw Refusals.KeyMissing();
                }

                if (key.Length > Refusals.MaxKeyLength || key.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
                {
                    throw Refusals.KeyRule();
                }

                await _store.SetKeyAsync(room, key, cancellationToken);
                break;
            case "-k":
                await _store.SetKeyAsync(room, null, cancellationToken);
                break;
            case "+m" or "-m":
                await _store.SetModeratedAsync(room, mode[0] == '+', cancellationToken);
                break;
            default:
                throw Refusals.UnknownMode();
        }

        // The detail is the mode alone: the key is for operators (GetRoomSettings) and is never shown or logged.
        return await AnnounceAsync(room, actor, RoomActions.Mode, target: null, mode, cancellationToken);
    }

    // /kick <nick> [reason]
    public async Task KickAsync(string room, RoomActor actor, string nickname, string? reason, CancellationToken cancellationToken = default)
    {
        var registration = await AuthorizeAsync(room, actor, "kick", register: false, cancellationToken);
        var text = string.IsNullOrWhiteSpace(reason) ? null : reason.Trim();
        if (text is { Length: > Refusals.MaxReasonLength })
        {
            throw Refusals.ReasonTooLong();
        }

        var target = await FindUserAsync(nickname, cancellationToken);
        if (target is null || !(await _rooms.GetRoomAsync(room, cancellationToken)).Users.Any(user => SameName(user, target.Nickname)))
        {
            throw Refusals.NotInRoom(target?.Nickname ?? nickname, room);
        }

        Protect(registration, actor, target.UserId, target.Nickname, room, "kicked");
        var change = new RoomEvent(room, RoomActions.Kick, actor.Nickname, target.Nickname, text, InfoOf(room));
        _logger.Moderated(actor.Nickname, room, RoomActions.Kick, target.Nickname);
        _logger.ModeratedDetail(actor.Nickname, room, RoomActions.Kick, text);
        await TellNodesAsync(room, actor, change, removing: target.UserId, cancellationToken);
    }

    // /ban <nick>
    public async Task BanAsync(string room, RoomActor actor, string nickname, CancellationToken cancellationToken = default)
    {
        var registration = await AuthorizeAsync(room, actor, "ban", register: true, cancellationToken);

        // Somebody connected is banned by who they are now (their account, or a guest's key); a name
        // nobody uses is banned as the account of that name, so it holds when they come.
        var name = Nickname.Parse(nickname);
        var target = await _rooms.FindUserAsync(name, cancellationToken) ?? new UserView(ChatUser.UserIdOf(name), name);
        Protect(registration, actor, target.UserId, target.Nickname, room, "banned");
        await _store.AddEntryAsync(room, new RoomEntry(RoomList.Banned, target.UserId, target.Nickname), cancellationToken);
        await _store.RemoveEntriesAsync(room, RoomList.Invited, [target.UserId], cancellationToken);
        await _settings.ReloadAsync(room, cancellationToken);
        var change = new RoomEvent(room, RoomActions.Ban, actor.Nickname, target.Nickname, null, InfoOf(room));
        _logger.Moderated(actor.Nickname, room, RoomActions.Ban, target.Nickname);
        await TellNodesAsync(room, actor, change, removing: target.UserId, cancellationToken);
    }

    // /unban <nick>
    public async Task UnbanAsync(string room, RoomActor actor, string nickname, CancellationToken cancellationToken = default)
    {
        var registration = await AuthorizeAsync(room, actor, "unban", register: false, cancellationToken);
        var entries = await EntriesNamedAsync(registration, RoomList.Banned, nickname, cancellationToken);
        if (entries.Count == 0)
        {
            throw Refusals.NotBanned(nickname, room);
        }

        await _store.RemoveEntriesAsync(room, RoomList.Banned, [.. entries.Select(entry => entry.Subject)], cancellationToken);
        await AnnounceAsync(room, actor, RoomActions.Unban, entries[0].Name, null, cancellationToken);
    }

    // /op <nick>
    public async Task OpAsync(string room, RoomActor actor, string nickname, CancellationToken cancellationToken = default)
    {
        var registration = await AuthorizeAsync(room, actor, "op", register: true, cancellationToken);
        var target = await FindUserAsync(nickname, cancellationToken) ?? throw Refusals.NotConnected(nickname);
        if (!ChatUser.IsAccount(target.UserId))
        {
            throw Refusals.GuestOperator(target.Nickname);
        }

        if (registration?.IsOwner(target.Nickname) == true)
        {
            throw Refusals.OwnerStays(registration.Owner!, room);
        }

        await _store.AddEntryAsync(room, new RoomEntry(RoomList.Operator, target.UserId, target.Nickname), cancellationToken);
        await AnnounceAsync(room, actor, RoomActions.Op, target.Nickname, null, cancellationToken);
    }

    // /deop <nick>
    public async Task DeopAsync(string room, RoomActor actor, string nickname, CancellationToken cancellationToken = default)
    {
        var registration = await AuthorizeAsync(room, actor, "deop", register: false, cancellationToken);
        if (registration?.IsOwner(nickname) == true)
        {
            throw Refusals.OwnerStays(registration.Owner!, room);
        }

        var entries = await EntriesNamedAsync(registration, RoomList.Operator, nickname, cancellationToken);
        if (entries.Count == 0)
        {
            throw Refusals.NotAnOperator(nickname, room);
        }

        await _store.RemoveEntriesAsync(room, RoomList.Operator, [.. entries.Select(entry => entry.Subject)], cancellationToken);
        await AnnounceAsync(room, actor, RoomActions.Deop, entries[0].Name, null, cancellationToken);
    }

    // /voice <nick>
    public async Task VoiceAsync(string room, RoomActor actor, string nickname, CancellationToken cancellationToken = default)
    {
        await AuthorizeAsync(room, actor, "voice", register: true, cancellationToken);
        var target = await FindUserAsync(nickname, cancellationToken) ?? throw Refusals.NotConnected(nickname);
        await _store.AddEntryAsync(room, new RoomEntry(RoomList.Voiced, target.UserId, target.Nickname), cancellationToken);
        await AnnounceAsync(room, actor, RoomActions.Voice, target.Nickname, null, cancellationToken);
    }

    // /devoice <nick>
    public async Task DevoiceAsync(string room, RoomActor actor, string nickname, CancellationToken cancellationToken = default)
    {
        var registration = await AuthorizeAsync(room, actor, "devoice", register: false, cancellationToken);
        var entries = await EntriesNamedAsync(registration, RoomList.Voiced, nickname, cancellationToken);
        if (entries.Count == 0)
        {
            throw Refusals.NotVoiced(nickname, room);
        }

        await _store.RemoveEntriesAsync(room, RoomList.Voiced, [.. entries.Select(entry => entry.Subject)], cancellationToken);
        await AnnounceAsync(room, actor, RoomActions.Devoice, entries[0].Name, null, cancellationToken);
    }

    // /invite <nick>
    public async Task InviteAsync(string room, RoomActor actor, string nickname, CancellationToken cancellationToken = default)
    {
        var registration = await AuthorizeAsync(room, actor, "invite", register: true, cancellationToken);
        var target = await FindUserAsync(nickname, cancellationToken) ?? throw Refusals.NotConnected(nickname);
        if (registration?.Has(RoomList.Banned, target.UserId) == true)
        {
            throw Refusals.InviteBanned(target.Nickname, room);
        }

        await _store.AddEntryAsync(room, new RoomEntry(RoomList.Invited, target.UserId, target.Nickname), cancellationToken);
        await TellNodesAsync(room, actor, change: null, removing: null, cancellationToken);
        _logger.Moderated(actor.Nickname, room, "invite", target.Nickname);
        await _hub.Clients.User(target.UserId).Invited(new RoomInvitation(room, actor.Nickname));
    }

    /// <summary>The settings dialog's view: settings, key, bans and invitations.</summary>
    public async Task<RoomSettings> GetSettingsAsync(string room, RoomActor actor, CancellationToken cancellationToken = default)
    {
        var registration = await AuthorizeAsync(room, actor, "see the settings", register: false, cancellationToken);
        return registration is null
            ? new RoomSettings(RoomInfo.Unowned(room), null, [], [])
            : new RoomSettings(InfoOf(registration), registration.Key, registration.Names(RoomList.Banned), registration.Names(RoomList.Invited));
    }

    private static RoomInfo InfoOf(RoomRegistration registration) => new(
        registration.Room,
        registration.Topic,
        registration.Owner,
        [.. registration.Entries.Where(entry => entry.List == RoomList.Operator && !registration.IsOwner(entry.Name)).Select(entry => entry.Name)],
        registration.Names(RoomList.Voiced),
        registration.InviteOnly,
        registration.Key is not null,
        registration.Moderated);

    private static bool IsOperator(RoomRegistration? registration, RoomActor actor) =>
        actor.Administrator
        || (actor.Account is { } account && registration is not null
            && (registration.IsOwner(account) || registration.Has(RoomList.Operator, ChatUser.UserIdOf(account))));

    private static bool SameName(string a, string b) => Nickname.Key(a) == Nickname.Key(b);

    /// <summary>
    /// The room's registration if the caller is an operator; otherwise the sentence. A server administrator
    /// acting in a room nobody registered registers it (unowned) when <paramref name="register"/>, so the
    /// change has a row to live in.
    /// </summary>
    private async Task<RoomRegistration?> AuthorizeAsync(string room, RoomActor actor, string verb, bool register, CancellationToken cancellationToken)
    {
        var registration = _settings.Find(room);
        if (!IsOperator(registration, actor))
        {
            throw Refuse(actor, room, "not an operator", Refusals.NotOperator(room, verb));
        }

        if (registration is null && register)
        {
            await _store.RegisterAsync(room, owner: null, _time.GetUtcNow(), cancellationToken);
            await TellNodesAsync(room, actor, change: null, removing: null, cancellationToken);
            registration = _settings.Find(room);
        }

        return registration;
    }

    /// <summary>The owner is safe from operators, and server administrators from everyone but each other.</summary>
    private void Protect(RoomRegistration? registration, RoomActor actor, string userId, string nickname, string room, string verb)
    {
        if (!ChatUser.IsAccount(userId) || actor.Administrator)
        {
            return;
        }

        if (registration?.IsOwner(nickname) == true && !registration.IsOwner(actor.Account))
        {
            throw Refusals.OwnerProtected(registration.Owner!, room, verb);
        }

        if (_auth.Value.IsAdministrator(nickname))
        {
            throw Refusals.AdministratorProtected(nickname, verb);
        }
    }

    /// <summary>A connected user by nickname; null when nobody has it (or it is no nickname at all).</summary>
    private async Task<UserView?> FindUserAsync(string nickname, CancellationToken cancellationToken) =>
        Nickname.TryNormalize(nickname, out var name) ? await _rooms.FindUserAsync(name, cancellationToken) : null;

    /// <summary>A list's entries for the name: by the name they were added under, or by who holds the name now.</summary>
    private async Task<List<RoomEntry>> EntriesNamedAsync(RoomRegistration? registration, RoomList list, string nickname, CancellationToken cancellationToken)
    {
        if (registration is null || !Nickname.TryNormalize(nickname, out var name))
        {
            return [];
        }

        var holder = await _rooms.FindUserAsync(name, cancellationToken);
        var account = ChatUser.UserIdOf(name);
        return [.. registration.Entries.Where(entry => entry.List == list
            && (SameName(entry.Name, name) || entry.Subject == account || entry.Subject == holder?.UserId))];
    }

    /// <summary>Reads the change back, then has every node read it back and show it to the room's members there.</summary>
    private async Task<RoomInfo> AnnounceAsync(string room, RoomActor actor, string action, string? target, string? detail, CancellationToken cancellationToken)
    {
        await _settings.ReloadAsync(room, cancellationToken);
        var info = InfoOf(room);
        _logger.Moderated(actor.Nickname, room, action, target ?? (action == RoomActions.Mode ? detail : null));
        await TellNodesAsync(room, actor, new RoomEvent(room, action, actor.Nickname, target, detail, info), removing: null, cancellationToken);
        return info;
    }

    /// <summary>
    /// Every node (this one first) reads the room's registration again, shows <paramref name="change"/> to the
    /// room's members there, then takes the connections there of <paramref name="removing"/> out of the room.
    /// The channel logs it when the other nodes could not be told.
    /// </summary>
    private Task TellNodesAsync(string room, RoomActor actor, RoomEvent? change, string? removing, CancellationToken cancellationToken) =>
        _cluster.RunAsync(new AdminCommand(AdminCommand.RoomChanged, room, actor.Nickname, _node, removing, change), cancellationToken);

    private HubException Refuse(RoomActor actor, string room, string reason, HubException refusal)
    {
        _logger.Refused(actor.Nickname, room, reason);
        return refusal;
    }
}
