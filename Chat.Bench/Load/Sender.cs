using System.Diagnostics;

namespace Chat.Bench.Load;

/// <summary>
/// One sending user: sends numbered messages at the shared <see cref="SendRate"/> without waiting for
/// answers (open loop, as people type regardless of how busy the server is), and remembers when each
/// left so acknowledgements can be timed. At most <see cref="Capacity"/> messages: every run is bounded.
/// </summary>
public sealed class Sender
{
    private readonly HubDialect _dialect;
    private readonly int _textSize;
    private readonly long[] _sentAt;
    private readonly byte[] _frame;
    private readonly SeqSet _failed = new();
    private long _sent;
    private long _failedCount;
    private volatile string? _broken;

    public Sender(int index, string room, HubDialect dialect, int textSize, int capacity)
    {
        Index = index;
        Room = room;
        _dialect = dialect;
        _textSize = textSize;
        _sentAt = new long[capacity + 1];
        _frame = new byte[HubDialect.MaxSendFrameSize(textSize)];
    }

    public int Index { get; }

    public string Room { get; }

    /// <summary>The most messages this sender will send.</summary>
    public long Capacity => _sentAt.Length - 1;

    /// <summary>Messages written to the socket; they are numbered 1..Sent.</summary>
    public long Sent => Volatile.Read(ref _sent);

    /// <summary>Messages the server refused; read once the run is over.</summary>
    public SeqSet Failed => _failed;

    public long FailedCount => Interlocked.Read(ref _failedCount);

    /// <summary>Why this sender stopped early, or null.</summary>
    public string? Broken => _broken;

    public long SentAt(long seq) => Volatile.Read(ref _sentAt[seq]);

    public void Fail(long seq)
    {
        lock (_failed)
        {
            if (_failed.Add(seq))
            {
                Interlocked.Increment(ref _failedCount);
            }
        }
    }

    /// <summary>Sends at <paramref name="rate"/> until <paramref name="stop"/> or the capacity is used up.</summary>
    public async Task RunAsync(HubClient client, SendRate rate, CancellationToken stop)
    {
        try
        {
            var last = Stopwatch.GetTimestamp();
            var credit = 0.0;
            var idle = true;
            while (!stop.IsCancellationRequested)
            {
                var perSecond = rate.PerSender;
                if (perSecond <= 0)
                {
                    idle = true;
                    await Task.Delay(20, stop);
                    continue;
                }

                if (idle)
                {
                    // Senders start spread over one interval instead of all at once.
                    idle = false;
                    await Task.Delay(TimeSpan.FromSeconds(Random.Shared.NextDouble() / perSecond), stop);
                    last = Stopwatch.GetTimestamp();
                    credit = 1;
                }

                // Catch up after a late wake-up, but never by more than a quarter second of messages.
                var now = Stopwatch.GetTimestamp();
                credit = Math.Min(credit + (perSecond * (now - last) / Stopwatch.Frequency), Math.Max(1, perSecond / 4));
                last = now;
                while (credit >= 1)
                {
                    if (Sent >= Capacity)
                    {
                        return;
                    }

                    await SendNextAsync(client, stop);
                    credit -= 1;
                }

                await Task.Delay(TimeSpan.FromMilliseconds(Math.Clamp((1 - credit) / perSecond * 1000, 1, 20)), stop);
            }
        }
        catch (OperationCanceledException) when (stop.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            _broken = ex.Message;
        }
    }

    private async Task SendNextAsync(HubClient client, CancellationToken stop)
    {
        var seq = Sent + 1;
        var sentAt = Stopwatch.GetTimestamp();
        Volatile.Write(ref _sentAt[seq], sentAt);
        var length = _dialect.WriteSend(_frame, Room, Index, seq, sentAt, _textSize);
        await client.SendFrameAsync(_frame.AsMemory(0, length), stop);
        Volatile.Write(ref _sent, seq);
    }
}
