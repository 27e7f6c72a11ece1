using System.Collections.Concurrent;
using Chat.Protocol;
using Chat.Protocol.Receiving;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.Logging;

namespace Chat.Client.Internal;

/// <summary>
/// Gets a <see cref="ChatClient"/>'s rooms back in step with the server: after a reconnect it rejoins
/// them and fetches what was missed by <c>seq</c>, and while connected it fills a gap a live message
/// revealed. Every message it fetches goes through the room's <see cref="RoomSequence"/>, so none is
/// delivered twice or out of order, whichever way it came.
/// </summary>
/// <param name="keyOf">The key a room was joined with (<c>+k</c>), so its rejoin passes it again; null for none.</param>
/// <param name="rejoined">A room's snapshot from its rejoin, whose settings may have changed while away.</param>
internal sealed class RoomRecovery(
    ConcurrentDictionary<string, RoomSequence> rooms,
    Func<string, string?> keyOf,
    Action<RoomSnapshot> rejoined,
    ReconnectingConnection connection,
    OrderedEvents events,
    ILogger logger,
    Action<string, IReadOnlyList<MemberChange>> postMemberChanges,
    Action<RecoveryReport> announce)
{
    /// <summary>After a reconnect: the nickname, the rooms again, the waiting sends, then what was missed.</summary>
    public async Task RecoverAsync(HubConnection hub)
    {
        try
        {
            var profile = await hub.InvokeAsync<UserProfile>(nameof(IChatHub.Me), connection.Lifetime);
            connection.Accept(profile);

            var rejoinedRooms = new List<RoomSequence>();
            var missed = 0L;
            foreach (var sequence in rooms.Values)
            {
                try
                {
                    sequence.Members.BeginJoin();
                    var seen = sequence.LastDelivered;
                    var snapshot = keyOf(sequence.Room) is { } key
                        ? await hub.InvokeAsync<RoomSnapshot>(nameof(IChatHub.JoinWithKey), sequence.Room, key, connection.Lifetime)
                        : await hub.InvokeAsync<RoomSnapshot>(nameof(IChatHub.Join), sequence.Room, connection.Lifetime);
                    rejoined(snapshot);

                    // What was sent while away, counted by seq (which has no gaps): the catch-up below and a
                    // gap fill that a live message starts meanwhile share the delivering, not the count.
                    missed += Math.Max(0, snapshot.LastSeq - seen);
                    sequence.Start(snapshot.LastSeq, _ => postMemberChanges(sequence.Room, sequence.Members.Start(snapshot.Members)));
                    rejoinedRooms.Add(sequence);
                }
                catch (HubException ex)
                {
                    logger.LogWarning("Could not rejoin {Room}: {Reason}", sequence.Room, ChatException.SentenceOf(ex));
                    rooms.TryRemove(new KeyValuePair<string, RoomSequence>(sequence.Room, sequence));
                }
            }

            // Sends waiting for the connection may go now: the rooms they target are joined again.
            connection.ReleaseCalls();

            foreach (var sequence in rejoinedRooms)
            {
                await CatchUpAsync(hub, sequence, connection.Lifetime);
            }

            var report = new RecoveryReport([.. rejoinedRooms.Select(sequence => sequence.Room).Order(StringComparer.Ordinal)], (int)Math.Min(missed, int.MaxValue));
            events.Release(() => announce(report));
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The connection dropped again during recovery; the reconnect after it starts over.
            logger.LogDebug(ex, "Recovery after reconnect was interrupted");
        }
    }

    /// <summary>Fetches what a room is missing behind a gap, one fill per room at a time (<see cref="RoomCatchUp.FillGapAsync"/>).</summary>
    public async Task FillGapAsync(RoomSequence sequence)
    {
        try
        {
            await RoomCatchUp.FillGapAsync(sequence, MissedSinceAsync, OfferFromStore(sequence), TimeProvider.System, connection.Lifetime);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            logger.LogDebug(ex, "Filling a gap in {Room} failed; the next reconnect catches up", sequence.Room);
        }
    }

    private Task<int> CatchUpAsync(HubConnection hub, RoomSequence sequence, CancellationToken cancellationToken) =>
        RoomCatchUp.CatchUpAsync(
            sequence,
            (room, afterSeq, token) => hub.InvokeAsync<IReadOnlyList<ChatMessage>>(nameof(IChatHub.MissedSince), room, afterSeq, token),
            OfferFromStore(sequence),
            cancellationToken);

    /// <summary>The gap fill's call goes on the connection of the moment; while there is none, the reconnect's catch-up takes over.</summary>
    private Task<IReadOnlyList<ChatMessage>> MissedSinceAsync(string room, long afterSeq, CancellationToken cancellationToken) =>
        connection.Current is { State: HubConnectionState.Connected } hub
            ? hub.InvokeAsync<IReadOnlyList<ChatMessage>>(nameof(IChatHub.MissedSince), room, afterSeq, cancellationToken)
            : throw new InvalidOperationException("Not connected.");

    private Func<IReadOnlyList<ChatMessage>, ValueTask<int>> OfferFromStore(RoomSequence sequence) => page =>
    {
        var delivered = sequence.OfferFromStore(page);
        events.Deliver();
        return ValueTask.FromResult(delivered);
    };
}
