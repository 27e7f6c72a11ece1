using Chat.Protocol;
using Chat.Server.Accounts.Moderation.Internal;
using Chat.Server.Hubs;
using Chat.Server.Rooms;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace Chat.Server.Accounts.Moderation;

/// <summary>
/// What owners and operators do in the rooms they run (who may join and speak is <see cref="RoomAdmission"/>'s).
/// Every change is written to the store and read back by every node (<see cref="RoomNodes"/>), and each
/// node then shows the <c>RoomChanged</c> to the room's members there; for a kick or ban it then takes the
/// user's connections there out of the room through the hub's own leave.
/// </summary>
public sealed class RoomModeration
{
    private readonly RoomSettingsCache _settings;
    private readonly IRoomSettingsStore _store;
    private readonly IRoomRegistry _rooms;
    private readonly IHubContext<ChatHub, IChatClient> _hub;
    private readonly RoomNodes _nodes;
    private readonly IOptions<AuthOptions> _auth;
    private readonly TimeProvider _time;
    private readonly ILogger<RoomModeration> _logger;

    internal RoomModeration(
        RoomSettingsCache settings,
        IRoomSettingsStore store,
        IRoomRegistry rooms,
        IHubContext<ChatHub, IChatClient> hub,
        RoomNodes nodes,
        IOptions<AuthOptions> auth,
        TimeProvider time,
        ILogger<RoomModeration> logger)
    {
        _settings = settings;
        _store = store;
        _rooms = rooms;
        _hub = hub;
        _nodes = nodes;
        _auth = auth;
        _time = time;
        _logger = logger;
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

        // An invitation lasts until its holder is kicked or banned: one kicked from an invite-only room cannot walk back in.
        await _store.RemoveEntriesAsync(room, RoomList.Invited, [target.UserId], cancellationToken);

        var change = new RoomEvent(room, RoomActions.Kick, actor.Nickname, target.Nickname, text, _settings.InfoOf(room));
        _logger.Moderated(actor.Nickname, room, RoomActions.Kick, target.Nickname);
        _logger.ModeratedDetail(actor.Nickname, room, RoomActions.Kick, text);
        await _nodes.TellAsync(room, actor, change, removing: target.UserId, cancellationToken);
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
        var change = new RoomEvent(room, RoomActions.Ban, actor.Nickname, target.Nickname, null, _settings.InfoOf(room));
        _logger.Moderated(actor.Nickname, room, RoomActions.Ban, target.Nickname);
        await _nodes.TellAsync(room, actor, change, removing: target.UserId, cancellationToken);
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
        await _nodes.TellAsync(room, actor, change: null, removing: null, cancellationToken);
        _logger.Moderated(actor.Nickname, room, "invite", target.Nickname);
        await _hub.Clients.User(target.UserId).Invited(new RoomInvitation(room, actor.Nickname));
    }

    /// <summary>The settings dialog's view: settings, key, bans and invitations.</summary>
    public async Task<RoomSettings> GetSettingsAsync(string room, RoomActor actor, CancellationToken cancellationToken = default)
    {
        var registration = await AuthorizeAsync(room, actor, "see the settings", register: false, cancellationToken);
        return registration is null
            ? new RoomSettings(RoomInfo.Unowned(room), null, [], [])
            : new RoomSettings(registration.Info(), registration.Key, registration.Names(RoomList.Banned), registration.Names(RoomList.Invited));
    }

    private static bool IsOperator(RoomRegistration? registration, RoomActor actor) =>
        registration?.IsOperator(actor) ?? actor.Administrator;

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
            await _nodes.TellAsync(room, actor, change: null, removing: null, cancellationToken);
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

    /// <summary>
    /// Has every node (this one first) read the change back and show it to the room's members there; the
    /// room's settings after it, as this node read them back.
    /// </summary>
    private async Task<RoomInfo> AnnounceAsync(string room, RoomActor actor, string action, string? target, string? detail, CancellationToken cancellationToken)
    {
        _logger.Moderated(actor.Nickname, room, action, target ?? (action == RoomActions.Mode ? detail : null));
        await _nodes.TellAsync(room, actor, new RoomEvent(room, action, actor.Nickname, target, detail, _settings.InfoOf(room)), removing: null, cancellationToken);
        return _settings.InfoOf(room);
    }

    private HubException Refuse(RoomActor actor, string room, string reason, HubException refusal)
    {
        _logger.Refused(actor.Nickname, room, reason);
        return refusal;
    }
}
