using System.Buffers;
using System.Buffers.Text;
using System.Net.WebSockets;
using System.Text;

namespace Chat.Bench.Load;

/// <summary>
/// One simulated user: a bare WebSocket speaking the SignalR JSON hub protocol, with one receive loop
/// that splits what arrives into records and hands them to an <see cref="IHubEventSink"/>. Much
/// lighter than a HubConnection, so one core can drive thousands of them.
/// </summary>
public sealed class HubClient : IAsyncDisposable
{
    private const byte RecordSeparator = 0x1e;
    private const int InitialBufferSize = 4096;

    private static readonly byte[] HandshakeFrame = "{\"protocol\":\"json\",\"version\":1}\u001e"u8.ToArray();
    private static readonly byte[] PingFrame = "{\"type\":6}\u001e"u8.ToArray();
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(30);

    private readonly ClientWebSocket _socket;
    private readonly IHubEventSink _sink;
    private readonly SemaphoreSlim _sendLock = new(1, 1);
    private readonly TaskCompletionSource<string?> _handshake = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskCompletionSource<string?>? _call;
    private int _calls;
    private bool _handshakeSeen;
    private Task _receiving = Task.CompletedTask;
    private volatile string? _closeReason;

    private HubClient(int index, ClientWebSocket socket, IHubEventSink sink, object? state)
    {
        Index = index;
        _socket = socket;
        _sink = sink;
        State = state;
    }

    public int Index { get; }

    /// <summary>What the scenario keeps for this user (what it received, what it sent).</summary>
    public object? State { get; }

    /// <summary>Why the connection ended, or null while it is open.</summary>
    public string? CloseReason => _closeReason;

    public bool IsOpen => _closeReason is null;

    /// <summary>Ends when the connection does.</summary>
    public Task Receiving => _receiving;

    /// <summary>Connects and completes the JSON protocol handshake.</summary>
    public static async Task<HubClient> ConnectAsync(Uri hub, int index, IHubEventSink sink, object? state, HttpMessageInvoker invoker, CancellationToken cancellationToken = default)
    {
        var socket = new ClientWebSocket();
        socket.Options.KeepAliveInterval = TimeSpan.Zero;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            timeout.CancelAfter(CallTimeout);
            await socket.ConnectAsync(hub, invoker, timeout.Token);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        var client = new HubClient(index, socket, sink, state);
        client._receiving = client.ReceiveLoopAsync();
        try
        {
            await client.SendFrameAsync(HandshakeFrame, cancellationToken);
            var error = await client._handshake.Task.WaitAsync(CallTimeout, cancellationToken);
            if (error is not null)
            {
                throw new InvalidOperationException($"Handshake refused: {error}");
            }
        }
        catch
        {
            await client.DisposeAsync();
            throw;
        }

        return client;
    }

    /// <summary>Calls a hub method and waits for its answer; returns the error, or null when it succeeded. One call at a time.</summary>
    public async Task<string?> CallAsync(string target, string argumentsJson, CancellationToken cancellationToken = default)
    {
        var id = $"c{Interlocked.Increment(ref _calls)}";
        var answer = new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously);
        if (Interlocked.CompareExchange(ref _call, answer, null) is not null)
        {
            throw new InvalidOperationException("Another call is still waiting for its answer.");
        }

        try
        {
            var frame = Encoding.UTF8.GetBytes($"{{\"type\":1,\"invocationId\":\"{id}\",\"target\":\"{target}\",\"arguments\":{argumentsJson}}}\u001e");
            await SendFrameAsync(frame, cancellationToken);
            return await answer.Task.WaitAsync(CallTimeout, cancellationToken);
        }
        finally
        {
            Interlocked.CompareExchange(ref _call, null, answer);
        }
    }

    /// <summary>Sends whole records; sends on one connection never overlap.</summary>
    public async ValueTask SendFrameAsync(ReadOnlyMemory<byte> frame, CancellationToken cancellationToken = default)
    {
        await _sendLock.WaitAsync(cancellationToken);
        try
        {
            await _socket.SendAsync(frame, WebSocketMessageType.Text, endOfMessage: true, cancellationToken);
        }
        finally
        {
            _sendLock.Release();
        }
    }

    /// <summary>A protocol ping, so the server's client timeout never closes a silent user.</summary>
    public ValueTask PingAsync(CancellationToken cancellationToken = default) => SendFrameAsync(PingFrame, cancellationToken);

    public async ValueTask DisposeAsync()
    {
        _closeReason ??= "closed by the generator";
        _socket.Abort();
        try
        {
            await _receiving;
        }
        catch (Exception)
        {
            // The loop records its own end; disposing only needs it finished.
        }

        _socket.Dispose();
        _sendLock.Dispose();
    }

    private async Task ReceiveLoopAsync()
    {
        await Task.Yield();
        var buffer = ArrayPool<byte>.Shared.Rent(InitialBufferSize);
        var filled = 0;
        try
        {
            while (true)
            {
                if (filled == buffer.Length)
                {
                    var larger = ArrayPool<byte>.Shared.Rent(buffer.Length * 2);
                    buffer.AsSpan(0, filled).CopyTo(larger);
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = larger;
                }

                var result = await _socket.ReceiveAsync(buffer.AsMemory(filled), CancellationToken.None);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    _closeReason ??= $"closed by the server ({_socket.CloseStatus}: {_socket.CloseStatusDescription})";
                    break;
                }

                filled += result.Count;
                var consumed = Dispatch(buffer.AsSpan(0, filled));
                if (consumed > 0)
                {
                    buffer.AsSpan(consumed, filled - consumed).CopyTo(buffer);
                    filled -= consumed;
                }

                if (filled == 0 && buffer.Length > InitialBufferSize)
                {
                    // A join snapshot grew the buffer; give it back so idle users stay small.
                    ArrayPool<byte>.Shared.Return(buffer);
                    buffer = ArrayPool<byte>.Shared.Rent(InitialBufferSize);
                }
            }
        }
        catch (Exception ex) when (ex is WebSocketException or OperationCanceledException or ObjectDisposedException or IOException)
        {
            _closeReason ??= ex.Message;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
            _closeReason ??= "closed";
            _handshake.TrySetResult(_closeReason);
            Volatile.Read(ref _call)?.TrySetResult(_closeReason);
        }
    }

    /// <summary>Handles every complete record in <paramref name="received"/>; returns the bytes used.</summary>
    private int Dispatch(ReadOnlySpan<byte> received)
    {
        var consumed = 0;
        while (true)
        {
            var end = received[consumed..].IndexOf(RecordSeparator);
            if (end < 0)
            {
                return consumed;
            }

            var record = received.Slice(consumed, end);
            consumed += end + 1;
            if (!_handshakeSeen)
            {
                _handshakeSeen = true;
                _handshake.TrySetResult(HubRecord.ErrorOf(record) is { } refused ? refused : null);
                continue;
            }

            switch (HubRecord.TypeOf(record))
            {
                case HubRecord.Invocation:
                    _sink.OnEvent(this, record);
                    break;
                case HubRecord.Completion:
                    Complete(record);
                    break;
                case HubRecord.Close:
                    _closeReason ??= $"close message from the server: {HubRecord.ErrorOf(record) ?? "no error"}";
                    break;
            }
        }
    }

    private void Complete(ReadOnlySpan<byte> record)
    {
        var id = HubRecord.InvocationIdOf(record);
        if (!id.IsEmpty && id[0] == (byte)'c')
        {
            Volatile.Read(ref _call)?.TrySetResult(HubRecord.ErrorOf(record));
        }
        else if (Utf8Parser.TryParse(id, out long invocationId, out var used) && used == id.Length)
        {
            _sink.OnSendCompleted(this, invocationId, HubRecord.ErrorOf(record));
        }
    }
}
