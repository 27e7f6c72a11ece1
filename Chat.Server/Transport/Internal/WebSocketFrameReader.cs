using System.Buffers;
using System.Buffers.Binary;
using System.IO.Pipelines;
using System.Runtime.CompilerServices;
using System.Text.Unicode;

namespace Chat.Server.Transport.Internal;

/// <summary>
/// Decodes the client's frames (RFC 6455 section 5) from the socket: the unmasked payload of text,
/// binary and continuation frames is what the hub reads; pings are answered with pongs, a close frame
/// is answered and ends the input, and anything the RFC forbids (unmasked frames, reserved bits or
/// opcodes, oversized control frames, a length with its top bit set) closes the connection with 1002,
/// text that is not UTF-8 with 1007. Decoded bytes wait in a pooled buffer only until the hub has
/// consumed them.
/// </summary>
/// <remarks>
/// The buffer holds at most twice the hub's largest message. When it is full, decoding stops and the
/// rest stays on the socket, unexamined, until the hub consumes something: a burst of small messages
/// waits there as it would in a pipe. Only a full buffer the hub looked at whole and took nothing
/// from (one message larger than that) closes the connection, with 1009.
/// </remarks>
internal sealed class WebSocketFrameReader(PipeReader socket, WebSocketPipe owner, int maxMessageBytes) : PipeReader
{
    private const int MinimumBuffer = 4096;

    // Decoded payload the hub has not consumed yet: _buffer[_start.._end].
    private byte[]? _buffer;
    private int _start;
    private int _end;

    // The hub looked at everything decoded and needs more before it reads again.
    private bool _examinedAll;

    // Decoding stopped because the buffer holds all it may; the hub has not consumed anything since.
    private bool _full;

    // A close frame arrived, the client went away, or the client broke the protocol.
    private bool _ended;

    // Within a data frame: payload bytes still to come and where the mask stands.
    private long _payloadLeft;
    private uint _mask;
    private int _maskOffset;

    // Within a fragmented message (a data frame without FIN was seen).
    private bool _inMessage;

    // The current frame ends its message; the message is text, checked as UTF-8 as it arrives.
    private bool _final;
    private bool _text;
    private Utf8MessageState _utf8;

    // Answers owed once the current socket buffer is handed back.
    private byte[]? _pong;
    private ushort? _close;

    private int Unconsumed => _end - _start;

    private ReadOnlySequence<byte> Decoded => _buffer is null ? default : new ReadOnlySequence<byte>(_buffer, _start, _end - _start);

    [AsyncMethodBuilder(typeof(PoolingAsyncValueTaskMethodBuilder<>))]
    public override async ValueTask<ReadResult> ReadAsync(CancellationToken cancellationToken = default)
    {
        while (!_ended && (_examinedAll || Unconsumed == 0))
        {
            if (_full)
            {
                // The hub looked at a full buffer and took nothing: it holds part of one message larger than that.
                Fail(WebSocketPipe.CloseTooBig);
                await AnswerAsync();
                break;
            }

            var read = await socket.ReadAsync(cancellationToken);
            if (read.IsCanceled)
            {
                return new ReadResult(Decoded, isCanceled: true, isCompleted: false);
            }

            // What a full buffer left undecoded is not examined, so the next read returns it at once;
            // that read comes only after the hub consumed something (see _full), so this never spins.
            var consumed = Decode(read.Buffer);
            socket.AdvanceTo(consumed, _full ? consumed : read.Buffer.End);
            if (read.IsCompleted && !_full)
            {
                _ended = true;
            }

            await AnswerAsync();
        }

        _examinedAll = false;
        return new ReadResult(Decoded, isCanceled: false, isCompleted: _ended);
    }

    public override bool TryRead(out ReadResult result)
    {
        if (_ended || (!_examinedAll && Unconsumed > 0))
        {
            _examinedAll = false;
            result = new ReadResult(Decoded, isCanceled: false, isCompleted: _ended);
            return true;
        }

        result = default;
        return false;
    }

    public override void AdvanceTo(SequencePosition consumed) => AdvanceTo(consumed, consumed);

    public override void AdvanceTo(SequencePosition consumed, SequencePosition examined)
    {
        if (_buffer is null || consumed.GetObject() is null)
        {
            return;
        }

        // Positions in a single-array sequence are indexes into that array.
        var start = consumed.GetInteger();
        if (start > _start)
        {
            _full = false;
        }

        _start = start;
        _examinedAll = examined.GetInteger() >= _end;
        if (_start == _end)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = null;
            _start = _end = 0;
        }
    }

    public override void CancelPendingRead() => socket.CancelPendingRead();

    public override void Complete(Exception? exception = null)
    {
        if (_buffer is { } buffer)
        {
            _buffer = null;
            _start = _end = 0;
            ArrayPool<byte>.Shared.Return(buffer);
        }

        socket.Complete(exception);
    }

    private async ValueTask AnswerAsync()
    {
        if (_pong is { } pong)
        {
            _pong = null;
            await owner.SendAsync(WebSocketPipe.OpPong, pong);
        }

        if (_close is { } status)
        {
            _close = null;
            await owner.SendCloseAsync(status);
        }
    }

    private SequencePosition Decode(ReadOnlySequence<byte> buffer)
    {
        var reader = new SequenceReader<byte>(buffer);
        while (!_ended)
        {
            if (_payloadLeft > 0)
            {
                if (reader.End || !CopyPayload(ref reader))
                {
                    break;
                }

                continue;
            }

            if (!ReadFrameHeader(ref reader))
            {
                break;
            }
        }

        return reader.Position;
    }

    private bool CopyPayload(ref SequenceReader<byte> reader)
    {
        if (!MakeRoom())
        {
            _full = true;
            return false;
        }

        var source = reader.UnreadSpan;
        var count = (int)Math.Min(Math.Min(_payloadLeft, source.Length), _buffer!.Length - _end);
        var target = _buffer.AsSpan(_end, count);
        source[..count].CopyTo(target);
        Unmask(target, _mask, _maskOffset);
        _maskOffset = (_maskOffset + count) & 3;
        _payloadLeft -= count;
        reader.Advance(count);
        if (_text && (!_utf8.Append(target) || (_payloadLeft == 0 && _final && !_utf8.IsComplete)))
        {
            // Left out of what the hub sees, as the HTTP path's WebSocket drops a piece that fails the check.
            return Fail(WebSocketPipe.CloseInvalidPayload);
        }

        _end += count;
        _examinedAll = false;
        return true;
    }

    /// <summary>Reads one frame header (and a whole control frame); false when more bytes are needed.</summary>
    private bool ReadFrameHeader(ref SequenceReader<byte> reader)
    {
        Span<byte> head = stackalloc byte[14];
        var available = (int)Math.Min(reader.Remaining, head.Length);
        if (available < 2)
        {
            return false;
        }

        reader.UnreadSequence.Slice(0, available).CopyTo(head);
        var fin = (head[0] & 0x80) != 0;
        var reserved = head[0] & 0x70;
        var opcode = (byte)(head[0] & 0x0F);
        var masked = (head[1] & 0x80) != 0;
        long length = head[1] & 0x7F;
        var headerLength = 2;
        if (length == 126)
        {
            headerLength = 4;
        }
        else if (length == 127)
        {
            headerLength = 10;
        }

        if (available < headerLength + 4)
        {
            return false;
        }

        if (length == 126)
        {
            length = BinaryPrimitives.ReadUInt16BigEndian(head[2..]);
        }
        else if (length == 127)
        {
            var wide = BinaryPrimitives.ReadUInt64BigEndian(head[2..]);
            if (wide > long.MaxValue)
            {
                // The most significant bit must be 0 (RFC 6455 section 5.2): malformed, not merely large.
                return Fail(WebSocketPipe.CloseProtocolError);
            }

            length = (long)wide;
        }

        var mask = BinaryPrimitives.ReadUInt32LittleEndian(head[headerLength..]);
        headerLength += 4;

        if (reserved != 0 || !masked)
        {
            return Fail(WebSocketPipe.CloseProtocolError);
        }

        switch (opcode)
        {
            case WebSocketPipe.OpText or WebSocketPipe.OpBinary or WebSocketPipe.OpContinuation:
                if ((opcode == WebSocketPipe.OpContinuation) != _inMessage)
                {
                    return Fail(WebSocketPipe.CloseProtocolError);
                }

                if (length > maxMessageBytes * 2L)
                {
                    return Fail(WebSocketPipe.CloseTooBig);
                }

                reader.Advance(headerLength);
                if (opcode != WebSocketPipe.OpContinuation)
                {
                    _text = opcode == WebSocketPipe.OpText;
                }

                _inMessage = !fin;
                _final = fin;
                _payloadLeft = length;
                _mask = mask;
                _maskOffset = 0;
                if (length == 0 && fin && _text && !_utf8.IsComplete)
                {
                    // An empty final frame ends the message here: no payload will check its end.
                    return Fail(WebSocketPipe.CloseInvalidPayload);
                }

                return true;

            case WebSocketPipe.OpClose or WebSocketPipe.OpPing or WebSocketPipe.OpPong:
                if (!fin || length > 125 || (opcode == WebSocketPipe.OpClose && length == 1))
                {
                    return Fail(WebSocketPipe.CloseProtocolError);
                }

                if (reader.Remaining < headerLength + length)
                {
                    return false;
                }

                reader.Advance(headerLength);
                var payload = new byte[length];
                reader.TryCopyTo(payload);
                reader.Advance(length);
                Unmask(payload, mask, 0);
                Control(opcode, payload);
                return true;

            default:
                return Fail(WebSocketPipe.CloseProtocolError);
        }
    }

    private void Control(byte opcode, byte[] payload)
    {
        switch (opcode)
        {
            case WebSocketPipe.OpPing:
                // Only the latest ping needs an answer (RFC 6455 section 5.5.3).
                _pong = payload;
                break;
            case WebSocketPipe.OpClose:
                _ended = true;
                _close = CloseAnswer(payload);
                break;
        }
    }

    /// <summary>
    /// The status to answer a close frame with: its own when it is one an endpoint may send (RFC 6455
    /// section 7.4), 1000 when it has none, 1002 for a status that is reserved or unassigned (1005,
    /// 1006 and 1015 must never be on the wire), 1007 for a reason that is not UTF-8.
    /// </summary>
    private static ushort CloseAnswer(byte[] payload)
    {
        if (payload.Length == 0)
        {
            return WebSocketPipe.CloseNormal;
        }

        var status = BinaryPrimitives.ReadUInt16BigEndian(payload);
        if (status is not ((>= 1000 and <= 1003) or (>= 1007 and <= 1014) or (>= 3000 and <= 4999)))
        {
            return WebSocketPipe.CloseProtocolError;
        }

        return Utf8.IsValid(payload.AsSpan(2)) ? status : WebSocketPipe.CloseInvalidPayload;
    }

    private bool Fail(ushort status)
    {
        _ended = true;
        _close = status;
        return false;
    }

    /// <summary>Makes space after <see cref="_end"/>; false when the hub holds as much as it may unconsumed.</summary>
    private bool MakeRoom()
    {
        if (_buffer is null)
        {
            _buffer = ArrayPool<byte>.Shared.Rent((int)Math.Clamp(_payloadLeft, MinimumBuffer, maxMessageBytes * 2L));
            return true;
        }

        if (_end < _buffer.Length)
        {
            return true;
        }

        if (_start > 0)
        {
            _buffer.AsSpan(_start, Unconsumed).CopyTo(_buffer);
            _end = Unconsumed;
            _start = 0;
            return true;
        }

        if (_buffer.Length >= maxMessageBytes * 2L)
        {
            return false;
        }

        var larger = ArrayPool<byte>.Shared.Rent(_buffer.Length * 2);
        _buffer.AsSpan(0, _end).CopyTo(larger);
        ArrayPool<byte>.Shared.Return(_buffer);
        _buffer = larger;
        return true;
    }

    private static void Unmask(Span<byte> payload, uint mask, int offset)
    {
        // The mask repeats every four bytes, starting where the previous piece of this frame stopped.
        Span<byte> key = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(key, mask);
        for (var i = 0; i < payload.Length; i++)
        {
            payload[i] ^= key[(i + offset) & 3];
        }
    }
}
