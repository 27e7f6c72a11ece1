using System.Buffers;
using System.IO.Pipelines;

namespace Chat.Server.Transport.Internal;

/// <summary>
/// The hub writes whole hub messages and flushes after each; each flush goes out as one text frame.
/// The frame's length comes first on the wire, so a message is gathered in a pooled buffer until the
/// flush and the buffer goes back to the pool straight after: an idle connection holds none.
/// </summary>
internal sealed class WebSocketFrameWriter(WebSocketPipe socket) : PipeWriter
{
    private const int MinimumBuffer = 512;

    private byte[]? _buffer;
    private int _written;

    public override void Advance(int bytes)
    {
        if (_buffer is null || bytes < 0 || _written + bytes > _buffer.Length)
        {
            throw new ArgumentOutOfRangeException(nameof(bytes));
        }

        _written += bytes;
    }

    public override Memory<byte> GetMemory(int sizeHint = 0)
    {
        Reserve(sizeHint);
        return _buffer.AsMemory(_written);
    }

    public override Span<byte> GetSpan(int sizeHint = 0)
    {
        Reserve(sizeHint);
        return _buffer.AsSpan(_written);
    }

    public override async ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken = default)
    {
        if (_written == 0)
        {
            return await socket.FlushAsync(cancellationToken);
        }

        var buffer = _buffer!;
        var length = _written;
        _buffer = null;
        _written = 0;
        try
        {
            return await socket.SendAsync(WebSocketPipe.OpText, buffer.AsMemory(0, length), cancellationToken);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    public override void CancelPendingFlush() => socket.CancelPendingFlush();

    public override void Complete(Exception? exception = null)
    {
        if (_buffer is { } buffer)
        {
            _buffer = null;
            _written = 0;
            ArrayPool<byte>.Shared.Return(buffer);
        }

        socket.Complete(exception);
    }

    private void Reserve(int sizeHint)
    {
        var needed = _written + Math.Max(sizeHint, 1);
        if (_buffer is not null && needed <= _buffer.Length)
        {
            return;
        }

        var larger = ArrayPool<byte>.Shared.Rent(Math.Max(needed, Math.Max(MinimumBuffer, (_buffer?.Length ?? 0) * 2)));
        if (_buffer is { } old)
        {
            old.AsSpan(0, _written).CopyTo(larger);
            ArrayPool<byte>.Shared.Return(old);
        }

        _buffer = larger;
    }
}
