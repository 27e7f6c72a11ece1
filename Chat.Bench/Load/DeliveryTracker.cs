using System.Diagnostics;

namespace Chat.Bench.Load;

/// <summary>
/// Checks every delivery of a fanout run: each recipient keeps, per sender of its room, the set of
/// sequence numbers it received, so losses, duplicates, reordering and messages delivered to the
/// wrong room are counted exactly; latencies and acknowledgements go to the current
/// <see cref="Measurement"/>.
/// </summary>
public sealed class DeliveryTracker : IHubEventSink
{
    private readonly RoomLayout _layout;
    private readonly Sender[] _senders;
    private Measurement? _measurement;
    private long _deliveries;
    private long _unique;
    private long _duplicates;
    private long _outOfOrder;
    private long _misrouted;
    private long _acknowledged;
    private long _errors;
    private string? _firstError;

    public DeliveryTracker(RoomLayout layout, HubDialect dialect, int textSize, int capacityPerSender)
    {
        _layout = layout;
        _senders = [.. Enumerable.Range(0, layout.Senders).Select(index =>
            new Sender(index, RoomLayout.RoomName(layout.RoomOf(index)), dialect, textSize, capacityPerSender))];
    }

    public IReadOnlyList<Sender> Senders => _senders;

    /// <summary>Every ReceiveMessage with a benchmark text, repeats included.</summary>
    public long Deliveries => Interlocked.Read(ref _deliveries);

    public long Unique => Interlocked.Read(ref _unique);

    public long Duplicates => Interlocked.Read(ref _duplicates);

    /// <summary>Deliveries of a sender's message after a later one from the same sender.</summary>
    public long OutOfOrder => Interlocked.Read(ref _outOfOrder);

    /// <summary>Deliveries to a user who is not in the sender's room.</summary>
    public long Misrouted => Interlocked.Read(ref _misrouted);

    public long Acknowledged => Interlocked.Read(ref _acknowledged);

    /// <summary>Sends the server answered with an error (they are not expected to arrive).</summary>
    public long Errors => Interlocked.Read(ref _errors);

    public string? FirstError => Volatile.Read(ref _firstError);

    public long Sent => _senders.Sum(sender => sender.Sent);

    /// <summary>Deliveries owed so far: each successful send times the members of its room.</summary>
    public long Expected => _senders.Sum(sender => (sender.Sent - sender.FailedCount) * _layout.MembersOf(_layout.RoomOf(sender.Index)));

    /// <summary>Sends still waiting for their answer.</summary>
    public long Unacknowledged => Sent - Acknowledged - Errors;

    /// <summary>Where latencies go from now on (null: nowhere).</summary>
    public Measurement? Measurement
    {
        get => Volatile.Read(ref _measurement);
        set => Volatile.Write(ref _measurement, value);
    }

    /// <summary>The state each user keeps: what it received, and for senders what it sent.</summary>
    public object StateOf(int user) => new Recipient(
        _layout.RoomOf(user),
        _layout.SendersPerRoom,
        user < _senders.Length ? _senders[user] : null);

    /// <summary>Deliveries owed but never received; call once the receive loops are done.</summary>
    public long CountLost(IReadOnlyList<HubClient?> clients)
    {
        long lost = 0;
        for (var user = 0; user < _layout.Users; user++)
        {
            var room = _layout.RoomOf(user);
            var received = (clients[user]?.State as Recipient)?.Received;
            for (var slot = 0; slot < _layout.SendersPerRoom; slot++)
            {
                var sender = _senders[_layout.SenderAt(room, slot)];
                lost += received is null
                    ? sender.Sent - sender.FailedCount
                    : received[slot].CountMissing(sender.Sent, sender.Failed);
            }
        }

        return lost;
    }

    public void OnEvent(HubClient client, ReadOnlySpan<byte> record)
    {
        if (!HubRecord.HasTarget(record, "ReceiveMessage"u8) || !BenchText.TryRead(record, out var senderIndex, out var seq, out var sentAt))
        {
            return;
        }

        var now = Stopwatch.GetTimestamp();
        Interlocked.Increment(ref _deliveries);
        var measurement = Measurement;
        measurement?.CountDelivery();

        var recipient = (Recipient)client.State!;
        if ((uint)senderIndex >= (uint)_senders.Length || _layout.RoomOf(senderIndex) != recipient.Room)
        {
            Interlocked.Increment(ref _misrouted);
            return;
        }

        var received = recipient.Received[_layout.SlotOf(senderIndex)];
        if (!received.Add(seq))
        {
            Interlocked.Increment(ref _duplicates);
            return;
        }

        Interlocked.Increment(ref _unique);
        if (seq < received.Max)
        {
            Interlocked.Increment(ref _outOfOrder);
        }

        if (measurement is not null && measurement.Covers(sentAt))
        {
            measurement.Latency.RecordElapsed(sentAt, now);
        }
    }

    public void OnSendCompleted(HubClient client, long invocationId, string? error)
    {
        if (client.State is not Recipient { Sender: { } sender } || invocationId < 1 || invocationId > sender.Capacity)
        {
            return;
        }

        if (error is not null)
        {
            sender.Fail(invocationId);
            Interlocked.Increment(ref _errors);
            Interlocked.CompareExchange(ref _firstError, error, null);
            return;
        }

        Interlocked.Increment(ref _acknowledged);
        var sentAt = sender.SentAt(invocationId);
        var measurement = Measurement;
        if (measurement is not null && measurement.Covers(sentAt))
        {
            measurement.Acknowledgement.RecordElapsed(sentAt, Stopwatch.GetTimestamp());
        }
    }

    /// <summary>What one user received: per sender of its room, the sequence numbers.</summary>
    private sealed class Recipient(int room, int sendersPerRoom, Sender? sender)
    {
        public int Room { get; } = room;

        public SeqSet[] Received { get; } = [.. Enumerable.Range(0, sendersPerRoom).Select(_ => new SeqSet())];

        /// <summary>Set when this user also sends.</summary>
        public Sender? Sender { get; } = sender;
    }
}
