using System.IO.Pipelines;
using Chat.Server.Hosting;

namespace Chat.Server.Transport.Internal;

/// <summary>
/// A connection's transport with two clocks: when something last arrived from the client, and since
/// when a flush towards it has been waiting (the buffer is full because the client does not read).
/// It also counts the chat messages written to the connection (<see cref="DeliveredMessages"/>).
/// </summary>
internal sealed class WatchedTransport : IDuplexPipe
{
    private readonly TimeProvider _time;
    private readonly ChatMetrics _metrics;
    private long _lastReceived;
    private long _stalledSince;

    public WatchedTransport(IDuplexPipe inner, TimeProvider time, ChatMetrics metrics)
    {
        _time = time;
        _metrics = metrics;
        _lastReceived = time.GetTimestamp();
        Input = new WatchedReader(inner.Input, this);
        Output = new WatchedWriter(inner.Output, this);
    }

    public PipeReader Input { get; }

    public PipeWriter Output { get; }

    public TimeSpan SilentFor() => _time.GetElapsedTime(Volatile.Read(ref _lastReceived));

    public TimeSpan? StalledFor()
    {
        var since = Volatile.Read(ref _stalledSince);
        return since == 0 ? null : _time.GetElapsedTime(since);
    }

    private void Received() => Volatile.Write(ref _lastReceived, _time.GetTimestamp());

    private void FlushWaiting() => Interlocked.CompareExchange(ref _stalledSince, _time.GetTimestamp(), 0);

    private void FlushDone() => Volatile.Write(ref _stalledSince, 0);

    /// <summary>
    /// Notes arrivals where the reader hands data back (<c>AdvanceTo</c> follows every read that returned
    /// something), so reads themselves pass straight through: no extra async step per frame, and nothing
    /// extra held by an idle connection's pending read.
    /// </summary>
    private sealed class WatchedReader(PipeReader inner, WatchedTransport owner) : PipeReader
    {
        public override void AdvanceTo(SequencePosition consumed)
        {
            owner.Received();
            inner.AdvanceTo(consumed);
        }

        public override void AdvanceTo(SequencePosition consumed, SequencePosition examined)
        {
            owner.Received();
            inner.AdvanceTo(consumed, examined);
        }

        public override void CancelPendingRead() => inner.CancelPendingRead();

        public override void Complete(Exception? exception = null) => inner.Complete(exception);

        public override ValueTask CompleteAsync(Exception? exception = null) => inner.CompleteAsync(exception);

        public override ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default) => inner.ReadAsync(cancellationToken);

        public override bool TryRead(out ReadResult result) => inner.TryRead(out result);
    }

    private sealed class WatchedWriter(PipeWriter inner, WatchedTransport owner) : PipeWriter
    {
        public override bool CanGetUnflushedBytes => inner.CanGetUnflushedBytes;

        public override long UnflushedBytes => inner.UnflushedBytes;

        public override void Advance(int bytes) => inner.Advance(bytes);

        public override Memory<byte> GetMemory(int sizeHint = 0) => inner.GetMemory(sizeHint);

        public override Span<byte> GetSpan(int sizeHint = 0) => inner.GetSpan(sizeHint);

        public override void CancelPendingFlush() => inner.CancelPendingFlush();

        public override void Complete(Exception? exception = null) => inner.Complete(exception);

        public override ValueTask CompleteAsync(Exception? exception = null) => inner.CompleteAsync(exception);

        /// <summary>SignalR's one write per message sent to the connection; the base class writes, then flushes through <see cref="FlushAsync"/>.</summary>
        public override ValueTask<FlushResult> WriteAsync(ReadOnlyMemory<byte> source, CancellationToken cancellationToken = default)
        {
            if (DeliveredMessages.IsChatMessage(source.Span))
            {
                owner._metrics.MessageDelivered();
            }

            return base.WriteAsync(source, cancellationToken);
        }

        public override ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default)
        {
            var flush = inner.FlushAsync(cancellationToken);
            if (flush.IsCompleted)
            {
                return flush;
            }

            owner.FlushWaiting();
            return WaitAsync(flush);
        }

        private async ValueTask<FlushResult> WaitAsync(ValueTask<FlushResult> flush)
        {
            try
            {
                return await flush;
            }
            finally
            {
                owner.FlushDone();
            }
        }
    }
}
