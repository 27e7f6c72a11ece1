using System.Buffers;
using System.Net.WebSockets;
using System.Text;
using Chat.Server.Hosting;

namespace Chat.Server.Doors.Internal;

/// <summary>
/// A door's accepted WebSocket with the rules every door keeps: whole messages of at most
/// <see cref="ChatLimitsOptions.MaxMessageBytes"/> (else 1009), text in UTF-8 (else 1007), at most the
/// hub's inbound frame budget (else 1008), and writes that may not wait longer than
/// <see cref="ChatLimitsOptions.StallTimeoutSeconds"/> for a client that stopped reading (else the
/// socket is aborted). One write at a time; reads belong to the session's loop.
/// </summary>
internal sealed class DoorSocket : IDisposable
{
    /// <summary>RFC 6455's 1012, Service Restart, which the enum does not name: reconnect.</summary>
    public const WebSocketCloseStatus ServiceRestart = (WebSocketCloseStatus)1012;

    /// <summary>How long a close handshake may take before the socket is simply dropped.</summary>
    private static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(5);

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly WebSocket _socket;
    private readonly string _door;
    private readonly ChatLimitsOptions _limits;
    private readonly ChatMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly ILogger _logger;
    private readonly byte[] _buffer;
    private readonly SemaphoreSlim _writing = new(1, 1);
    private readonly InboundBudget _inbound;

    public DoorSocket(WebSocket socket, string door, ChatLimitsOptions limits, ChatMetrics metrics, TimeProvider time, ILogger logger)
    {
        _socket = socket;
        _door = door;
        _limits = limits;
        _metrics = metrics;
        _time = time;
        _logger = logger;
        _buffer = ArrayPool<byte>.Shared.Rent(limits.MaxMessageBytes);
        _inbound = new InboundBudget(door, limits, metrics, time, logger);
    }

    /// <summary>The next whole message, or <see cref="DoorFrame.Closed"/> once the connection is over (closed by either side, or broken).</summary>
    public async Task<DoorFrame> ReceiveAsync(CancellationToken cancellationToken)
    {
        var limit = _limits.MaxMessageBytes;
        var count = 0;
        ValueWebSocketReceiveResult result;
        try
        {
            while (true)
            {
                // ManagedWebSocket checks text frames as UTF-8 as they arrive and closes with 1007 itself.
                result = await _socket.ReceiveAsync(_buffer.AsMemory(count, limit - count), cancellationToken);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    await CloseAsync(_socket.CloseStatus ?? WebSocketCloseStatus.NormalClosure, string.Empty);
                    return DoorFrame.Closed;
                }

                count += result.Count;
                if (result.EndOfMessage)
                {
                    break;
                }

                if (count == limit)
                {
                    _logger.FrameRefused(_door, "too large");
                    await CloseAsync(WebSocketCloseStatus.MessageTooBig, $"Messages may be at most {limit} bytes.");
                    return DoorFrame.Closed;
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException)
        {
            _logger.DoorConnectionBroken(_door, ex.Message);
            return DoorFrame.Closed;
        }

        if (!_inbound.TryTake())
        {
            await CloseAsync(WebSocketCloseStatus.PolicyViolation, InboundBudget.Sentence);
            return DoorFrame.Closed;
        }

        if (result.MessageType == WebSocketMessageType.Binary)
        {
            return DoorFrame.Binary;
        }

        try
        {
            return DoorFrame.OfText(StrictUtf8.GetString(_buffer, 0, count));
        }
        catch (DecoderFallbackException)
        {
            await CloseAsync(WebSocketCloseStatus.InvalidPayloadData, "Text must be UTF-8.");
            return DoorFrame.Closed;
        }
    }

    /// <summary>
    /// Writes one text message; false if the socket is no longer open. A client that has not taken it
    /// within the stall timeout is dropped: the socket is aborted and the session's read ends.
    /// </summary>
    public Task<bool> SendAsync(string text) => SendAsync(Encoding.UTF8.GetBytes(text));

    /// <inheritdoc cref="SendAsync(string)"/>
    public async Task<bool> SendAsync(ReadOnlyMemory<byte> utf8)
    {
        await _writing.WaitAsync();
        try
        {
            if (_socket.State != WebSocketState.Open)
            {
                return false;
            }

            using var stall = new CancellationTokenSource(TimeSpan.FromSeconds(_limits.StallTimeoutSeconds), _time);
            await _socket.SendAsync(utf8, WebSocketMessageType.Text, endOfMessage: true, stall.Token);
            return true;
        }
        catch (OperationCanceledException)
        {
            _metrics.Rejected("stalled");
            _logger.DoorStalled(_door, _limits.StallTimeoutSeconds);
            _socket.Abort();
            return false;
        }
        catch (Exception ex) when (ex is WebSocketException or IOException or ObjectDisposedException)
        {
            return false;
        }
        finally
        {
            _writing.Release();
        }
    }

    /// <summary>
    /// Starts the close handshake with <paramref name="status"/> and a reason for the user (cut to the
    /// 123 bytes a close frame holds). The session's read loop then sees the client's answer and ends;
    /// a client that does not answer within a few seconds is dropped.
    /// </summary>
    public async Task CloseAsync(WebSocketCloseStatus status, string reason)
    {
        await _writing.WaitAsync();
        try
        {
            if (_socket.State is not (WebSocketState.Open or WebSocketState.CloseReceived))
            {
                return;
            }

            using var timeout = new CancellationTokenSource(CloseTimeout, _time);
            await _socket.CloseOutputAsync(status, CloseReason(reason), timeout.Token);
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException)
        {
            _socket.Abort();
            return;
        }
        finally
        {
            _writing.Release();
        }

        if (_socket.State != WebSocketState.Closed)
        {
            _ = AbortUnlessClosedAsync();
        }
    }

    /// <summary>
    /// The hub connection under this door closed: after the restarting notice (<paramref name="lastNoticeKind"/>)
    /// the client is told to reconnect (1012); otherwise the hub dropped it (a flood, repeated refusals: 1008,
    /// with <paramref name="reason"/> when the server gave one).
    /// </summary>
    public Task CloseForHubAsync(string? lastNoticeKind, string? reason = null) =>
        lastNoticeKind == ConnectionDrainer.RestartingNotice
            ? CloseAsync(ServiceRestart, "The server is restarting; reconnect.")
            : CloseAsync(WebSocketCloseStatus.PolicyViolation, reason ?? "The server closed the connection.");

    /// <summary>Ends the connection: closes it if still open, and waits (briefly) for the client's answer to a close.</summary>
    public async Task FinishAsync()
    {
        await CloseAsync(WebSocketCloseStatus.NormalClosure, string.Empty);
        using var timeout = new CancellationTokenSource(CloseTimeout, _time);
        try
        {
            while (_socket.State == WebSocketState.CloseSent)
            {
                await _socket.ReceiveAsync(_buffer.AsMemory(0, _limits.MaxMessageBytes), timeout.Token);
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or IOException or ObjectDisposedException)
        {
            _socket.Abort();
        }
    }

    public void Dispose()
    {
        ArrayPool<byte>.Shared.Return(_buffer);
        _writing.Dispose();
    }

    private async Task AbortUnlessClosedAsync()
    {
        await Task.Delay(CloseTimeout, _time);
        if (_socket.State != WebSocketState.Closed)
        {
            _socket.Abort();
        }
    }

    private static string CloseReason(string reason)
    {
        const int MaxBytes = 123;
        if (Encoding.UTF8.GetByteCount(reason) <= MaxBytes)
        {
            return reason;
        }

        var end = reason.Length;
        while (Encoding.UTF8.GetByteCount(reason.AsSpan(0, end)) > MaxBytes - 3)
        {
            end--;
        }

        return reason[..end] + "…";
    }
}
