using System.Net.WebSockets;
using Chat.Protocol;
using Chat.Server.Rooms;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace Chat.Server.Doors.Internal;

/// <summary>
/// One client on a room door (<c>/ws/chat/{room}</c> or <c>/chat/{room}</c>): a hub connection that
/// joins the room, the client's messages as hub calls, the hub's events through a <see cref="RoomFeed"/>.
/// Bad input gets the dialect's error and the connection carries on; the socket's own rules (size,
/// UTF-8, flood, stall) close it.
/// </summary>
internal sealed class RoomDoorSession(IRoomDialect dialect, DoorSocket socket, DoorHubConnections doors, TimeProvider time, ILogger logger)
{
    private const string BinarySentence = "Binary messages are not understood here; send text.";

    public async Task RunAsync(string? requestedRoom, DoorUser user, CancellationToken aborted)
    {
        if (!RoomName.TryNormalize(requestedRoom, out var room))
        {
            await RefuseAsync(RoomName.Rule);
            return;
        }

        var clientId = Guid.NewGuid().ToString("N");
        var feed = new RoomFeed(room, clientId, dialect, socket, time);
        DoorConnection door;
        try
        {
            door = await doors.ConnectAsync(dialect.Door, user.Nickname, user.Key, user.AccessToken, user.Remote, feed.Listen, aborted);
        }
        catch (DoorRefusedException refused)
        {
            await RefuseAsync(refused.Message);
            return;
        }

        await using (door)
        {
            door.Hub.Closed += _ => socket.CloseForHubAsync(feed.LastNoticeKind, door.CloseReason);
            if (door.Hub.State != HubConnectionState.Connected)
            {
                await socket.CloseForHubAsync(feed.LastNoticeKind, door.CloseReason);
                return;
            }

            try
            {
                var snapshot = await door.Hub.InvokeAsync<RoomSnapshot>(nameof(IChatHub.Join), room, aborted);
                await feed.StartAsync(snapshot, door.Nickname);
            }
            catch (HubException refused)
            {
                await RefuseAsync(DoorRefusedException.SentenceOf(refused));
                return;
            }
            catch (Exception ex) when (ex is InvalidOperationException or OperationCanceledException)
            {
                await socket.CloseForHubAsync(feed.LastNoticeKind, door.CloseReason);
                return;
            }

            if (!await ReadAsync(door.Hub, room, feed, aborted))
            {
                // The hub connection went first: say so now, before the socket's own ending (1000) can.
                await socket.CloseForHubAsync(feed.LastNoticeKind, door.CloseReason);
            }
        }
    }

    /// <summary>Reads the client's frames until the socket closes (true) or the hub connection is gone (false).</summary>
    private async Task<bool> ReadAsync(HubConnection hub, string room, RoomFeed feed, CancellationToken aborted)
    {
        while (await socket.ReceiveAsync(aborted) is { Kind: not DoorFrameKind.Closed } frame)
        {
            var input = frame.Kind == DoorFrameKind.Binary ? DoorInput.Invalid(BinarySentence) : dialect.Parse(frame.Text);
            try
            {
                switch (input.Kind)
                {
                    case DoorInputKind.Message:
                        await hub.InvokeAsync<ChatMessage>(nameof(IChatHub.SendMessage), room, input.Value, feed.NextClientMessageId(), aborted);
                        break;
                    case DoorInputKind.Rename:
                        await hub.InvokeAsync<string>(nameof(IChatHub.SetNickname), input.Value, aborted);
                        break;
                    case DoorInputKind.Typing:
                        await hub.InvokeAsync(nameof(IChatHub.Typing), room, aborted);
                        break;
                    default:
                        logger.FrameRefused(dialect.Door, "not understood");
                        await socket.SendAsync(dialect.Error(input.Value, time.GetUtcNow()));
                        break;
                }
            }
            catch (HubException refused)
            {
                await socket.SendAsync(dialect.Error(DoorRefusedException.SentenceOf(refused), time.GetUtcNow()));
            }
            catch (Exception ex) when (ex is InvalidOperationException or OperationCanceledException)
            {
                // The hub connection is gone (closed by the hub, or the request aborted): so is the door's.
                return false;
            }
        }

        return true;
    }

    private async Task RefuseAsync(string sentence)
    {
        logger.DoorRefused(dialect.Door, sentence);
        await socket.SendAsync(dialect.Error(sentence, time.GetUtcNow()));
        await socket.CloseAsync(WebSocketCloseStatus.PolicyViolation, sentence);
    }
}
