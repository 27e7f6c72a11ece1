namespace Chat.Protocol.Receiving;

/// <summary>
/// Hands a room's messages on exactly once and in <c>seq</c> order, whichever way they arrive (live, in a
/// join snapshot, or fetched after a gap): the rule of docs/protocol.md ("Receiving each message once, in
/// order"), written once for the .NET client and the server's doors. Before the join's answer sets the
/// starting point everything waits; afterwards a repeat is dropped and a message ahead of a gap waits for
/// the gap to be filled (<see cref="RoomCatchUp"/>). Delivery happens under the lock, so two sources never
/// interleave.
/// </summary>
public sealed class RoomSequence(string room, Action<ChatMessage> deliver)
{
    private readonly Lock _gate = new();
    private readonly SortedDictionary<long, ChatMessage> _waiting = [];
    private bool _started;
    private int _fillingGap;

    public string Room { get; } = room;

    /// <summary>The room's member list; it lives exactly as long as the client is in the room, as the sequence does.</summary>
    public RoomMembers Members { get; } = new();

    public long LastDelivered { get; private set; }

    /// <summary>True while a message waits behind a gap.</summary>
    public bool HasGap
    {
        get
        {
            lock (_gate)
            {
                return _started && _waiting.Count > 0;
            }
        }
    }

    /// <summary>
    /// Sets the starting point (the join snapshot's last seq) the first time. Later calls keep the older
    /// point so a rejoin can catch up, unless the room now ends before it: its history was reset, and
    /// waiting for numbers already seen would drop every new message. <paramref name="announce"/> runs
    /// before any waiting message is delivered (told whether this is the first start), so what it posts
    /// comes first.
    /// </summary>
    public void Start(long lastSeq, Action<bool>? announce = null)
    {
        lock (_gate)
        {
            var first = !_started;
            if (!_started || lastSeq < LastDelivered)
            {
                _started = true;
                LastDelivered = lastSeq;
            }

            announce?.Invoke(first);
            DrainLocked();
        }
    }

    /// <summary>Runs <paramref name="step"/> under the room's lock, so what it posts keeps its place among the room's messages.</summary>
    public void RunInOrder(Action step)
    {
        lock (_gate)
        {
            step();
        }
    }

    /// <summary>
    /// Offers messages fetched from the store (oldest first). The store has every message there is, so
    /// when its first one is past the gap the numbers in between do not exist: the sequence moves over
    /// them instead of waiting for them forever. Returns how many were new.
    /// </summary>
    public int OfferFromStore(IReadOnlyList<ChatMessage> page)
    {
        lock (_gate)
        {
            if (_started && page.Count > 0 && page[0].Seq > LastDelivered + 1)
            {
                LastDelivered = page[0].Seq - 1;
            }

            return Offer(page);
        }
    }

    /// <summary>Offers messages; returns how many were new.</summary>
    public int Offer(IEnumerable<ChatMessage> messages)
    {
        lock (_gate)
        {
            var before = LastDelivered;
            foreach (var message in messages)
            {
                if (!_started || message.Seq > LastDelivered)
                {
                    _waiting.TryAdd(message.Seq, message);
                }
            }

            if (_started)
            {
                DrainLocked();
            }

            return (int)(LastDelivered - before);
        }
    }

    public int Offer(ChatMessage message) => Offer([message]);

    /// <summary>Claims the right to fetch the gap; false if another fetch is running.</summary>
    public bool TryBeginGapFill() => Interlocked.CompareExchange(ref _fillingGap, 1, 0) == 0;

    public void EndGapFill() => Volatile.Write(ref _fillingGap, 0);

    private void DrainLocked()
    {
        while (_waiting.Count > 0)
        {
            var (seq, message) = _waiting.First();
            if (seq <= LastDelivered)
            {
                _waiting.Remove(seq);
                continue;
            }

            if (seq != LastDelivered + 1)
            {
                return;
            }

            _waiting.Remove(seq);
            LastDelivered = seq;
            deliver(message);
        }
    }
}
