using System.Security.Cryptography;
using System.Text;
using Chat.Protocol;
using Chat.Server.Accounts.Moderation.Internal;
using Chat.Server.Rooms;
using Microsoft.AspNetCore.SignalR;

namespace Chat.Server.Accounts.Moderation;

/// <summary>
/// Who may join a room and speak in it, checked against this node's <see cref="RoomSettingsCache"/> (no
/// database round trip per join or message), and who owns a room a signed-in user opens. What owners and
/// operators change is <see cref="RoomModeration"/>'s.
/// </summary>
public sealed class RoomAdmission
{
    private readonly RoomSettingsCache _settings;
    private readonly IRoomSettingsStore _store;
    private readonly IRoomRegistry _rooms;
    private readonly RoomNodes _nodes;
    private readonly TimeProvider _time;
    private readonly ILogger<RoomModeration> _logger;

    internal RoomAdmission(
        RoomSettingsCache settings,
        IRoomSettingsStore store,
        IRoomRegistry rooms,
        RoomNodes nodes,
        TimeProvider time,
        ILogger<RoomModeration> logger)
    {
        _settings = settings;
        _store = store;
        _rooms = rooms;
        _nodes = nodes;
        _time = time;
        _logger = logger;
    }

    /// <summary>
    /// Refuses a join the room's settings forbid: a ban; then, unless an operator, a missing or wrong key
    /// and an invite-only room without an invitation. A user already in the room may open another
    /// connection there. An invitation is kept until its holder is kicked or banned, so a member who
    /// reconnects is let back in.
    /// </summary>
    public async Task AdmitAsync(string room, RoomActor actor, string? key, CancellationToken cancellationToken = default)
    {
        if (_settings.Find(room) is not { } registration)
        {
            return;
        }

        if (registration.Has(RoomList.Banned, actor.UserId))
        {
            throw Refuse(actor, room, "banned", Refusals.Banned(room));
        }

        if (registration.IsOperator(actor))
        {
            return;
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

        if (!registration.InviteOnly || registration.Has(RoomList.Invited, actor.UserId))
        {
            return;
        }

        var members = await _rooms.GetRoomAsync(room, cancellationToken);
        if (!members.Users.Any(user => Nickname.Key(user) == Nickname.Key(actor.Nickname)))
        {
            throw Refuse(actor, room, "invite-only", Refusals.InviteOnly(room));
        }
    }

    /// <summary>After a join: a signed-in user who opened a room that had no members and no registration owns it from now on.</summary>
    public async Task JoinedAsync(string room, RoomActor actor, bool roomWasEmpty, CancellationToken cancellationToken = default)
    {
        if (roomWasEmpty && actor.Account is { } account && _settings.Find(room) is null
            && await _store.RegisterAsync(room, account, _time.GetUtcNow(), cancellationToken))
        {
            await _nodes.TellAsync(room, actor, change: null, removing: null, cancellationToken);
            _logger.Claimed(account, room);
        }
    }

    /// <summary>
    /// The refusal for a join that a ban overtook, or null: the ban was stored after <see cref="AdmitAsync"/>
    /// passed, and its removal of the user's connections on this node may have run before this join
    /// registered. The ban is in this node's cache before that removal runs, so asking once the join has
    /// registered catches it; the caller leaves the room again.
    /// </summary>
    public HubException? OvertakenByBan(string room, RoomActor actor) =>
        _settings.Find(room)?.Has(RoomList.Banned, actor.UserId) == true
            ? Refuse(actor, room, "banned during the join", Refusals.Banned(room))
            : null;

    /// <summary>Refuses a message from a banned user, and in a moderated room from anyone but operators and voiced users.</summary>
    public void CheckSend(string room, RoomActor actor)
    {
        if (_settings.Find(room) is not { } registration || registration.MaySpeak(actor))
        {
            return;
        }

        throw registration.Has(RoomList.Banned, actor.UserId) ? Refusals.Banned(room) : Refusals.Moderated(room);
    }

    /// <summary>Whether the user may speak (typing in a moderated room is not shown for those who may not).</summary>
    public bool MaySpeak(string room, RoomActor actor) => _settings.Find(room)?.MaySpeak(actor) ?? true;

    private HubException Refuse(RoomActor actor, string room, string reason, HubException refusal)
    {
        _logger.Refused(actor.Nickname, room, reason);
        return refusal;
    }
}
