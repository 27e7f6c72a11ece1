using System.Net.WebSockets;
using System.Threading.Channels;
using Chat.Protocol;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace Chat.Server.Doors.Internal;

/// <summary>
/// One client on <c>/ws/lobby</c>: <c>rooms_update</c> with every room's users on connect and whenever
/// rooms change, cluster-wide. The watcher is a hub connection that calls <c>WatchLobby</c> (as the
/// page does) and joins no room, so it holds a server-chosen nickname but is in no member list, no
/// <c>/who</c> and no lobby entry; it gets the hub's limits and shutdown notice like any connection.
/// <c>RoomsUpdated</c> carries counts only, so each change is answered with <c>ListRooms</c> for the
/// names; changes that come while one is being written are folded into the next.
/// </summary>
internal sealed class LobbyDoorSession(DoorSocket socket, DoorHubConnections doors, TimeProvider time, ILogger logger)
{
    private const string ReadOnlySentence = "The lobby takes no messages; it sends rooms_update whenever rooms change.";

    private readonly JsonRoomDialect _dialect = JsonRoomDialect.Instance;
    private readonly Channel<bool> _changes = Channel.CreateBounded<bool>(new BoundedChannelOptions(1) { FullMode = BoundedChannelFullMode.DropWrite });
    private string? _lastNoticeKind;

    public async Task RunAsync(DoorUser user, CancellationToken aborted)
    {
        DoorConnection door;
        try
        {
            // No nickname asked for: the watcher is nobody anyone talks to.
            door = await doors.ConnectAsync(JsonRoomDialect.LobbyDoor, nickname: null, user.Key, user.AccessToken, user.Remote, Listen, aborted);
        }
        catch (DoorRefusedException refused)
        {
            logger.DoorRefused(JsonRoomDialect.LobbyDoor, refused.Message);
            await socket.SendAsync(_dialect.Error(refused.Message, time.GetUtcNow()));
            await socket.CloseAsync(WebSocketCloseStatus.PolicyViolation, refused.Message);
            return;
        }

        await using (door)
        {
            door.Hub.Closed += _ =>
            {
                _changes.Writer.TryComplete();
                return socket.CloseForHubAsync(_lastNoticeKind, door.CloseReason);
            };

            using var stop = CancellationTokenSource.CreateLinkedTokenSource(aborted);
            var push = PushAsync(door.Hub, stop.Token);
            while (await socket.ReceiveAsync(aborted) is { Kind: not DoorFrameKind.Closed })
            {
                logger.FrameRefused(JsonRoomDialect.LobbyDoor, "the lobby reads nothing");
                await socket.SendAsync(_dialect.Error(ReadOnlySentence, time.GetUtcNow()));
            }

            await stop.CancelAsync();
            await push;
        }
    }

    private void Listen(HubConnection hub)
    {
        hub.On<IReadOnlyList<LobbyRoom>>(nameof(IChatClient.RoomsUpdated), _ => _changes.Writer.TryWrite(true));
        hub.On<ServerNotice>(nameof(IChatClient.Notice), notice =>
        {
            _lastNoticeKind = notice.Kind;
            return socket.SendAsync(_dialect.System(notice.Text, notice.Kind, time.GetUtcNow()));
        });
    }

    /// <summary>The rooms now, then again after each change, until the client or the hub goes.</summary>
    private async Task PushAsync(HubConnection hub, CancellationToken cancellationToken)
    {
        try
        {
            await hub.InvokeAsync<IReadOnlyList<LobbyRoom>>(nameof(IChatHub.WatchLobby), cancellationToken);
            do
            {
                _changes.Reader.TryRead(out _);
                try
                {
                    var rooms = await hub.InvokeAsync<IReadOnlyList<RoomSummary>>(nameof(IChatHub.ListRooms), cancellationToken);
                    await socket.SendAsync(_dialect.RoomsUpdate(rooms, time.GetUtcNow()));
                }
                catch (HubException refused)
                {
                    // Too many changes for the call budget: the next change lists again.
                    logger.FrameRefused(JsonRoomDialect.LobbyDoor, DoorRefusedException.SentenceOf(refused));
                }
            }
            while (await _changes.Reader.WaitToReadAsync(cancellationToken));
        }
        catch (Exception ex) when (ex is InvalidOperationException or OperationCanceledException or HubException)
        {
            // The client or the hub connection is gone.
        }
    }
}
