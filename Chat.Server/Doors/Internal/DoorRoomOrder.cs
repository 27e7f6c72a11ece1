using Chat.Protocol;
using Chat.Protocol.Receiving;

namespace Chat.Server.Doors.Internal;

/// <summary>
/// One room as a door shows it, by the .NET client's rules: a <see cref="RoomSequence"/> (each
/// <c>seq</c> once and in order; a message ahead of a gap waits) and its <see cref="RoomMembers"/>. The
/// sequence delivers under its lock, the door writes asynchronously: what it delivers is collected and
/// handed back to the caller to write, in order. Offers come from one task at a time (the door's pump or
/// its gate), so the writes keep the sequence's order.
/// </summary>
internal sealed class DoorRoomOrder
{
    private readonly List<ChatMessage> _delivered = [];

    public DoorRoomOrder(string room) => Sequence = new RoomSequence(room, _delivered.Add);

    public RoomSequence Sequence { get; }

    public RoomMembers Members => Sequence.Members;

    public string Room => Sequence.Room;

    /// <summary>Starts from the join's snapshot (its messages are history, shown by the door); returns the messages that were waiting for it.</summary>
    public IReadOnlyList<ChatMessage> Start(RoomSnapshot snapshot)
    {
        Members.Start(snapshot.Members);
        Sequence.Start(snapshot.LastSeq);
        return TakeDelivered();
    }

    /// <summary>Offers a live message; returns what may be written now, in order (nothing for a repeat or a message ahead of a gap).</summary>
    public IReadOnlyList<ChatMessage> Offer(ChatMessage message)
    {
        Sequence.Offer(message);
        return TakeDelivered();
    }

    /// <summary>Offers a page the gap fill fetched; returns how many were new (<see cref="RoomSequence.OfferFromStore"/>), and in <paramref name="delivered"/> what may be written now, in order.</summary>
    public int OfferFromStore(IReadOnlyList<ChatMessage> page, out IReadOnlyList<ChatMessage> delivered)
    {
        var fresh = Sequence.OfferFromStore(page);
        delivered = TakeDelivered();
        return fresh;
    }

    /// <summary>
    /// Fetches the gap behind a held message once it has not closed by itself
    /// (<see cref="RoomCatchUp.FillGapAsync"/>); <paramref name="offerFetched"/> hands a page to the door's
    /// one writer, which offers it in its turn and answers how many of its messages were new.
    /// </summary>
    public async Task FillGapAsync(
        Func<string, long, CancellationToken, Task<IReadOnlyList<ChatMessage>>> missedSince,
        Func<IReadOnlyList<ChatMessage>, ValueTask<int>> offerFetched,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        if (!Sequence.HasGap)
        {
            return;
        }

        try
        {
            await RoomCatchUp.FillGapAsync(Sequence, missedSince, offerFetched, time, cancellationToken);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            // The user left the room, or the door is closing: nobody to fill it for. Otherwise the room's
            // next message tries again.
        }
    }

    private ChatMessage[] TakeDelivered()
    {
        if (_delivered.Count == 0)
        {
            return [];
        }

        ChatMessage[] delivered = [.. _delivered];
        _delivered.Clear();
        return delivered;
    }
}
