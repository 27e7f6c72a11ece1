using Chat.Protocol;

namespace Chat.Client;

// The operators' calls: refused with the server's sentence for anyone but a room's owner, its operators and
// the server's administrators; their effects reach every member as RoomChanged.
public sealed partial class ChatClient
{
    /// <summary>Sets a room's topic (an empty one clears it) and returns the room's settings. Operators only.</summary>
    public Task<RoomInfo> SetTopicAsync(string room, string topic, CancellationToken cancellationToken = default) =>
        InvokeAsync<RoomInfo>(nameof(IChatHub.SetTopic), [room, topic], cancellationToken);

    /// <summary>Takes every connection of a user out of a room, with an optional reason. Operators only.</summary>
    public Task KickAsync(string room, string nickname, string? reason = null, CancellationToken cancellationToken = default) =>
        InvokeAsync<object?>(nameof(IChatHub.Kick), [room, nickname, reason], cancellationToken);

    /// <summary>Bans a user (their account, or a guest's key) from a room and takes them out of it. Operators only.</summary>
    public Task BanAsync(string room, string nickname, CancellationToken cancellationToken = default) =>
        InvokeAsync<object?>(nameof(IChatHub.Ban), [room, nickname], cancellationToken);

    /// <summary>Lifts a ban, by the name the user had when banned. Operators only.</summary>
    public Task UnbanAsync(string room, string nickname, CancellationToken cancellationToken = default) =>
        InvokeAsync<object?>(nameof(IChatHub.Unban), [room, nickname], cancellationToken);

    /// <summary>Makes a signed-in user an operator of a room. Operators only.</summary>
    public Task OpAsync(string room, string nickname, CancellationToken cancellationToken = default) =>
        InvokeAsync<object?>(nameof(IChatHub.Op), [room, nickname], cancellationToken);

    /// <summary>Takes operator rights away (never the owner's). Operators only.</summary>
    public Task DeopAsync(string room, string nickname, CancellationToken cancellationToken = default) =>
        InvokeAsync<object?>(nameof(IChatHub.Deop), [room, nickname], cancellationToken);

    /// <summary>Lets a user speak in a moderated room. Operators only.</summary>
    public Task VoiceAsync(string room, string nickname, CancellationToken cancellationToken = default) =>
        InvokeAsync<object?>(nameof(IChatHub.Voice), [room, nickname], cancellationToken);

    /// <summary>Takes voice away. Operators only.</summary>
    public Task DevoiceAsync(string room, string nickname, CancellationToken cancellationToken = default) =>
        InvokeAsync<object?>(nameof(IChatHub.Devoice), [room, nickname], cancellationToken);

    /// <summary>Invites a connected user into a room; they get <see cref="Invited"/>. Operators only.</summary>
    public Task InviteAsync(string room, string nickname, CancellationToken cancellationToken = default) =>
        InvokeAsync<object?>(nameof(IChatHub.Invite), [room, nickname], cancellationToken);

    /// <summary>
    /// Changes one of a room's modes: <c>+i</c>/<c>-i</c> invite-only, <c>+k</c>/<c>-k</c> a key to join
    /// (<paramref name="key"/> with <c>+k</c>), <c>+m</c>/<c>-m</c> moderated. Operators only.
    /// </summary>
    public async Task<RoomInfo> SetModeAsync(string room, string mode, string? key = null, CancellationToken cancellationToken = default)
    {
        var info = await InvokeAsync<RoomInfo>(nameof(IChatHub.SetMode), [room, mode, key], cancellationToken);

        // The operator who set the key rejoins with it after a reconnect, as anybody who joined with it does.
        var name = RoomNames.Canonicalize(room);
        if (_rooms.ContainsKey(name) && mode == "+k" && key is not null)
        {
            _keys[name] = key;
        }

        return info;
    }

    /// <summary>A room's settings with its key, bans and invitations. Operators only.</summary>
    public Task<RoomSettings> GetRoomSettingsAsync(string room, CancellationToken cancellationToken = default) =>
        InvokeAsync<RoomSettings>(nameof(IChatHub.GetRoomSettings), [room], cancellationToken);
}
