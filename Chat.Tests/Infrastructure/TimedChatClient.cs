using System.Runtime.CompilerServices;
using Chat.Client;
using Chat.Protocol;

namespace Chat.Tests.Infrastructure;

/// <summary>
/// A <see cref="TestClient"/>'s <see cref="ChatClient"/> with a deadline on every call, so a test that calls
/// <c>alice.Client.JoinAsync(room)</c> can wait long but never forever: a call the server leaves unanswered
/// fails the test with a <see cref="TimeoutException"/> naming the call. The deadline is generous
/// (<see cref="CallTimeout"/>): a test that wants a call answered sooner bounds it itself.
/// </summary>
public sealed class TimedChatClient(ChatClient client)
{
    /// <summary>Longer than any call of a healthy run takes, even one repeated across a server restart.</summary>
    public static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(60);

    /// <summary>The client itself, for what this wrapper does not pass on.</summary>
    public ChatClient Inner => client;

    public string? Nickname => client.Nickname;

    public IReadOnlyList<string> Rooms => client.Rooms;

    public IReadOnlyList<string> MembersOf(string room) => client.MembersOf(room);

    public Task ConnectAsync(CancellationToken cancellationToken = default) =>
        TimedAsync(token => client.ConnectAsync(token), cancellationToken);

    public Task<RoomSnapshot> JoinAsync(string room, CancellationToken cancellationToken = default) =>
        TimedAsync(token => client.JoinAsync(room, token), cancellationToken);

    public Task LeaveAsync(string room, CancellationToken cancellationToken = default) =>
        TimedAsync(token => client.LeaveAsync(room, token), cancellationToken);

    public Task<IReadOnlyList<string>> LeaveAllAsync(CancellationToken cancellationToken = default) =>
        TimedAsync(token => client.LeaveAllAsync(token), cancellationToken);

    public Task<ChatMessage> SendAsync(string room, string text, CancellationToken cancellationToken = default) =>
        TimedAsync(token => client.SendAsync(room, text, token), cancellationToken);

    public Task<DirectMessage> SendDirectAsync(string nickname, string text, CancellationToken cancellationToken = default) =>
        TimedAsync(token => client.SendDirectAsync(nickname, text, token), cancellationToken);

    public Task<string> SetNicknameAsync(string nickname, CancellationToken cancellationToken = default) =>
        TimedAsync(token => client.SetNicknameAsync(nickname, token), cancellationToken);

    public Task TypingAsync(string room, CancellationToken cancellationToken = default) =>
        TimedAsync(token => client.TypingAsync(room, token), cancellationToken);

    public Task<IReadOnlyList<ChatMessage>> GetHistoryAsync(string room, long beforeSeq, int limit, CancellationToken cancellationToken = default) =>
        TimedAsync(token => client.GetHistoryAsync(room, beforeSeq, limit, token), cancellationToken);

    public Task<IReadOnlyList<ChatMessage>> GetMissedAsync(string room, long afterSeq, CancellationToken cancellationToken = default) =>
        TimedAsync(token => client.GetMissedAsync(room, afterSeq, token), cancellationToken);

    public Task<IReadOnlyList<RoomSummary>> ListRoomsAsync(CancellationToken cancellationToken = default) =>
        TimedAsync(token => client.ListRoomsAsync(token), cancellationToken);

    public Task<IReadOnlyList<RoomSummary>> MyRoomsAsync(CancellationToken cancellationToken = default) =>
        TimedAsync(token => client.MyRoomsAsync(token), cancellationToken);

    public Task<RoomSummary> WhoAsync(string room, CancellationToken cancellationToken = default) =>
        TimedAsync(token => client.WhoAsync(room, token), cancellationToken);

    public Task<UserProfile> MeAsync(CancellationToken cancellationToken = default) =>
        TimedAsync(token => client.MeAsync(token), cancellationToken);

    public Task<IReadOnlyList<CommandHelp>> HelpAsync(CancellationToken cancellationToken = default) =>
        TimedAsync(token => client.HelpAsync(token), cancellationToken);

    public Task<IReadOnlyList<LobbyRoom>> WatchLobbyAsync(CancellationToken cancellationToken = default) =>
        TimedAsync(token => client.WatchLobbyAsync(token), cancellationToken);

    public Task UnwatchLobbyAsync(CancellationToken cancellationToken = default) =>
        TimedAsync(token => client.UnwatchLobbyAsync(token), cancellationToken);

    public Task<RoomSnapshot> JoinAsync(string room, string? key, CancellationToken cancellationToken = default) =>
        TimedAsync(token => client.JoinAsync(room, key, token), cancellationToken);

    public Task<RoomInfo> SetTopicAsync(string room, string topic, CancellationToken cancellationToken = default) =>
        TimedAsync(token => client.SetTopicAsync(room, topic, token), cancellationToken);

    public Task KickAsync(string room, string nickname, string? reason = null, CancellationToken cancellationToken = default) =>
        TimedAsync(token => client.KickAsync(room, nickname, reason, token), cancellationToken);

    public Task BanAsync(string room, string nickname, CancellationToken cancellationToken = default) =>
        TimedAsync(token => client.BanAsync(room, nickname, token), cancellationToken);

    public Task UnbanAsync(string room, string nickname, CancellationToken cancellationToken = default) =>
        TimedAsync(token => client.UnbanAsync(room, nickname, token), cancellationToken);

    public Task OpAsync(string room, string nickname, CancellationToken cancellationToken = default) =>
        TimedAsync(token => client.OpAsync(room, nickname, token), cancellationToken);

    public Task DeopAsync(string room, string nickname, CancellationToken cancellationToken = default) =>
        TimedAsync(token => client.DeopAsync(room, nickname, token), cancellationToken);

    public Task VoiceAsync(string room, string nickname, CancellationToken cancellationToken = default) =>
        TimedAsync(token => client.VoiceAsync(room, nickname, token), cancellationToken);

    public Task DevoiceAsync(string room, string nickname, CancellationToken cancellationToken = default) =>
        TimedAsync(token => client.DevoiceAsync(room, nickname, token), cancellationToken);

    public Task InviteAsync(string room, string nickname, CancellationToken cancellationToken = default) =>
        TimedAsync(token => client.InviteAsync(room, nickname, token), cancellationToken);

    public Task<RoomInfo> SetModeAsync(string room, string mode, string? key = null, CancellationToken cancellationToken = default) =>
        TimedAsync(token => client.SetModeAsync(room, mode, key, token), cancellationToken);

    public Task<RoomSettings> GetRoomSettingsAsync(string room, CancellationToken cancellationToken = default) =>
        TimedAsync(token => client.GetRoomSettingsAsync(room, token), cancellationToken);

    public Task DisconnectAsync() => TimedAsync(_ => client.DisconnectAsync(), CancellationToken.None);

    private static async Task TimedAsync(Func<CancellationToken, Task> call, CancellationToken cancellationToken, [CallerMemberName] string method = "") =>
        await TimedAsync(async token => { await call(token); return true; }, cancellationToken, method);

    private static async Task<T> TimedAsync<T>(Func<CancellationToken, Task<T>> call, CancellationToken cancellationToken, [CallerMemberName] string method = "")
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(CallTimeout);
        try
        {
            // The token cancels the call itself; WaitAsync also covers a call that would not heed it.
            return await call(deadline.Token).WaitAsync(deadline.Token);
        }
        catch (OperationCanceledException ex) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            throw new TimeoutException($"ChatClient.{method} got no answer within {CallTimeout}.", ex);
        }
    }
}
