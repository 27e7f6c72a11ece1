using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;

namespace Chat.Server.Transport.Internal;

/// <summary>
/// The hub's view of a WebSocket on a raw Kestrel connection: <see cref="Input"/> yields the payload
/// of the client's data frames (control frames are answered here), <see cref="Output"/> sends each
/// flush as one text frame. Nothing is buffered between frames, so an idle connection holds no
/// buffer of its own.
/// </summary>
/// <remarks>
/// The socket's writer is shared by the hub's flushes and the reader's answers to pings and close
/// frames; <see cref="_gate"/> guards it (one writer at a time, held across the flush). Once a close
/// frame is sent nothing more is written (RFC 6455 section 5.5.1).
/// </remarks>
internal sealed class WebSocketPipe : IDuplexPipe
{
    public const byte OpContinuation = 0x0;
    public const byte OpText = 0x1;
    public const byte OpBinary = 0x2;
    public const byte OpClose = 0x8;
    public const byte OpPing = 0x9;
    public const byte OpPong = 0xA;

    public const ushort CloseNormal = 1000;
    public const ushort CloseProtocolError = 1002;
    public const ushort CloseInvalidPayload = 1007;
    public const ushort CloseTooBig = 1009;
    public const ushort CloseServerError = 1011;

    private readonly PipeWriter _socket;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private bool _closeSent;
    private Exception? _completion;
    private int _completePending;

    public WebSocketPipe(IDuplexPipe socket, int maxMessageBytes)
    {
        _socket = socket.Output;
        Input = new WebSocketFrameReader(socket.Input, this, maxMessageBytes);
        Output = new WebSocketFrameWriter(this);
    }

    public PipeReader Input { get; }

    public PipeWriter Output { get; }

    /// <summary>Writes one frame of <paramref name="payload"/> and flushes, unless a close frame went first.</summary>
    public ValueTask<FlushResult> SendAsync(byte opcode, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken = default) =>
        WriteAndFlushAsync(opcode, payload, cancellationToken);

    public ValueTask<FlushResult> SendCloseAsync(ushort status) => SendAsync(OpClose, ClosePayload(status));

    /// <summary>Flushes the socket when the hub flushes with nothing new to send (backpressure still applies).</summary>
    public ValueTask<FlushResult> FlushAsync(CancellationToken cancellationToken) => WriteAndFlushAsync(null, default, cancellationToken);

    public void CancelPendingFlush() => _socket.CancelPendingFlush();

    /// <summary>
    /// The hub is done writing: a close frame (normal, or 1011 after an error) and the end of the
    /// socket's output. When a send holds the writer, it finishes the job as it leaves.
    /// </summary>
    public void Complete(Exception? exception)
    {
        // The error is recorded before the completion is announced: whoever holds the gate may act on it at once.
        if (Volatile.Read(ref _completePending) != 0)
        {
            return;
        }

        _completion = exception;
        if (Interlocked.CompareExchange(ref _completePending, 1, 0) != 0)
        {
            return;
        }

        if (_gate.Wait(0))
        {
            Exit();
        }
    }

    // Every flush of the socket holds the gate: a pipe takes one flush at a time, and a pong or close
    // answer may be flushing while the hub flushes.
    private async ValueTask<FlushResult> WriteAndFlushAsync(byte? opcode, ReadOnlyMemory<byte> payload, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_closeSent)
            {
                return new FlushResult(isCanceled: false, isCompleted: true);
            }

            if (opcode is { } frame)
            {
                WriteFrame(frame, payload.Span);
            }

            return await _socket.FlushAsync(cancellationToken);
        }
        finally
        {
            Exit();
        }
    }

    private static byte[] ClosePayload(ushort status)
    {
        var payload = new byte[2];
        BinaryPrimitives.WriteUInt16BigEndian(payload, status);
        return payload;
    }

    private void Exit()
    {
        if (Volatile.Read(ref _completePending) == 1 && Interlocked.Exchange(ref _completePending, 2) == 1)
        {
            if (!_closeSent)
            {
                WriteFrame(OpClose, ClosePayload(_completion is null ? CloseNormal : CloseServerError));
            }

            _socket.Complete();
        }

        _gate.Release();

        // A completion that arrived while this send held the writer, after the check above.
        if (Volatile.Read(ref _completePending) == 1 && _gate.Wait(0))
        {
            Exit();
        }
    }

    private void WriteFrame(byte opcode, ReadOnlySpan<byte> payload)
    {
        // Server frames are never masked (RFC 6455 section 5.1); every frame is final.
        Span<byte> header = stackalloc byte[10];
        header[0] = (byte)(0x80 | opcode);
        int headerLength;
        if (payload.Length < 126)
        {
            header[1] = (byte)payload.Length;
            headerLength = 2;
        }
        else if (payload.Length <= ushort.MaxValue)
        {
            header[1] = 126;
            BinaryPrimitives.WriteUInt16BigEndian(header[2..], (ushort)payload.Length);
            headerLength = 4;
        }
        else
        {
            header[1] = 127;
            BinaryPrimitives.WriteUInt64BigEndian(header[2..], (ulong)payload.Length);
            headerLength = 10;
        }

        _socket.Write(header[..headerLength]);
        _socket.Write(payload);
        if (opcode == OpClose)
        {
            _closeSent = true;
        }
    }
}
