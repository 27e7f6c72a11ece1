namespace Chat.Protocol.Receiving;

/// <summary>
/// Fetches what a room's <see cref="RoomSequence"/> is missing with <c>MissedSince</c>: everything after
/// a reconnect (<see cref="CatchUpAsync"/>), and the gap a live message revealed
/// (<see cref="FillGapAsync"/>). The caller brings the call and the way a fetched page is offered (the
/// .NET client offers it at once, a door through its writer), so the client and the server's doors fill
/// gaps by one rule.
/// </summary>
public static class RoomCatchUp
{
    /// <summary>
    /// How long a room may hold a message behind a gap, without delivering anything, before the gap is
    /// fetched. Messages sent on two nodes of a cluster reach a third connection by different paths and
    /// overtake each other by milliseconds: such a gap closes by itself and costs no call (calls count
    /// against the connection's rate limit). A gap that does not close (a node died between its commit and
    /// its publish) is fetched after this wait.
    /// </summary>
    public static readonly TimeSpan GapWait = TimeSpan.FromMilliseconds(250);

    /// <summary>
    /// Pages <c>MissedSince(room, last delivered)</c> until a page is short, offering each page as it
    /// comes; returns how many messages were new.
    /// </summary>
    /// <param name="missedSince">The hub call: room, the <c>seq</c> to start after.</param>
    /// <param name="offerFromStore">Offers one page (normally <see cref="RoomSequence.OfferFromStore"/>); returns how many were new.</param>
    public static async Task<int> CatchUpAsync(
        RoomSequence sequence,
        Func<string, long, CancellationToken, Task<IReadOnlyList<ChatMessage>>> missedSince,
        Func<IReadOnlyList<ChatMessage>, ValueTask<int>> offerFromStore,
        CancellationToken cancellationToken = default)
    {
        var delivered = 0;
        while (true)
        {
            var page = await missedSince(sequence.Room, sequence.LastDelivered, cancellationToken);
            delivered += await offerFromStore(page);
            if (page.Count < ChatEndpoints.MaxPageSize)
            {
                return delivered;
            }
        }
    }

    /// <summary>
    /// Fills the room's gap, one fill per room at a time (another caller's fill returns at once): while a
    /// message waits behind a gap and nothing has been delivered for <see cref="GapWait"/>, catches up.
    /// A catch-up that delivers nothing has nothing more to find now, and the next message tries again.
    /// Failures of the call are the caller's to handle.
    /// </summary>
    public static async Task FillGapAsync(
        RoomSequence sequence,
        Func<string, long, CancellationToken, Task<IReadOnlyList<ChatMessage>>> missedSince,
        Func<IReadOnlyList<ChatMessage>, ValueTask<int>> offerFromStore,
        TimeProvider time,
        CancellationToken cancellationToken = default)
    {
        // A message can open a gap just as a fill gives up its claim, and its own attempt found the claim
        // taken: look again after letting go, or that gap would wait for a message that may never come.
        while (sequence.HasGap && sequence.TryBeginGapFill())
        {
            bool stuck;
            try
            {
                stuck = await FillClaimedGapAsync(sequence, missedSince, offerFromStore, time, cancellationToken);
            }
            finally
            {
                sequence.EndGapFill();
            }

            if (stuck)
            {
                return;
            }
        }
    }

    /// <summary>Fills until no gap is left (false) or a catch-up found nothing (true).</summary>
    private static async Task<bool> FillClaimedGapAsync(
        RoomSequence sequence,
        Func<string, long, CancellationToken, Task<IReadOnlyList<ChatMessage>>> missedSince,
        Func<IReadOnlyList<ChatMessage>, ValueTask<int>> offerFromStore,
        TimeProvider time,
        CancellationToken cancellationToken)
    {
        while (sequence.HasGap)
        {
            var before = sequence.LastDelivered;
            await Task.Delay(GapWait, time, cancellationToken);
            if (sequence.LastDelivered != before)
            {
                // Still moving by itself: the gap behind it is one of those that close on their own.
                continue;
            }

            if (sequence.HasGap && await CatchUpAsync(sequence, missedSince, offerFromStore, cancellationToken) == 0)
            {
                return true;
            }
        }

        return false;
    }
}
