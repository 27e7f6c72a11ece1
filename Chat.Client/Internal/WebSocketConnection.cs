using System.Buffers;
using System.IO.Pipelines;
using System.Net.WebSockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http.Features;

namespace Chat.Client.Internal;

/// <summary>
/// A <see cref="ConnectionContext"/> over a <see cref="ClientWebSocket"/>: one loop copies received
/// frames into the input pipe, another sends what the hub protocol writes to the output pipe, each
/// flush as one text message.
/// </summary>
internal sealed class WebSocketConnection : ConnectionContext
{
    private static readonly TimeSpan CloseTimeout = TimeSpan.FromSeconds(2);

    private readonly ClientWebSocket _socket;
    private readonly Pipe _input = new();
    private readonly Pipe _output = new();
    private readonly CancellationTokenSource _aborted = new();
    private Task _running = Task.CompletedTask;

    public WebSocketConnection(ClientWebSocket socket)
    {
        _socket = socket;
        Transport = new DuplexPipe(_input.Reader, _output.Writer);
        ConnectionClosed = _aborted.Token;
    }

    public override string ConnectionId { get; set; } = Guid.NewGuid().ToString("N");

    public override IFeatureCollection Features { get; } = new FeatureCollection();

    public override IDictionary<object, object?> Items { get; set; } = new Dictionary<object, object?>();

    public override IDuplexPipe Transport { get; set; }

    public void Start() => _running = Task.WhenAll(ReceiveLoopAsync(), SendLoopAsync());

    public override void Abort(ConnectionAbortedException abortReason) => AbortSocket();

    public override void Abort() => AbortSocket();

    public override async ValueTask DisposeAsync()
    {
        // The hub connection completes its output first; give the close handshake a moment.
        _output.Writer.Complete();
        await _running.WaitAsync(CloseTimeout).ContinueWith(static _ => { }, TaskScheduler.Default);
        AbortSocket();
        await _running.ContinueWith(static _ => { }, TaskScheduler.Default);
        _socket.Dispose();
        _aborted.Dispose();
    }

    private void AbortSocket()
    {
        try
        {
            _aborted.Cancel();
        }
        catch (ObjectDisposedException)
        {
        }

        _socket.Abort();
    }

    private async Task ReceiveLoopAsync()
    {
        Exception? error = null;
        try
        {
            while (true)
            {
                var memory = _input.Writer.GetMemory(4096);
                var result = await _socket.ReceiveAsync(memory, _aborted.Token);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    break;
                }

                _input.Writer.Advance(result.Count);
                var flush = await _input.Writer.FlushAsync();
                if (flush.IsCompleted)
                {
                    break;
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (Exception ex)
        {
            error = ex;
        }
        finally
        {
            await _input.Writer.CompleteAsync(error);
            _output.Reader.CancelPendingRead();
        }
    }

    private async Task SendLoopAsync()
    {
        try
        {
            while (true)
            {
                var result = await _output.Reader.ReadAsync();
                var buffer = result.Buffer;
                try
                {
                    if (result.IsCanceled)
                    {
                        return;
                    }

                    if (!buffer.IsEmpty)
                    {
                        await SendAsync(buffer);
                    }

                    if (result.IsCompleted)
                    {
                        break;
                    }
                }
                finally
                {
                    _output.Reader.AdvanceTo(buffer.End);
                }
            }

            if (_socket.State is WebSocketState.Open or WebSocketState.CloseReceived)
            {
                using var timeout = new CancellationTokenSource(CloseTimeout);
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token);
            }
        }
        catch (Exception)
        {
            // The receive loop reports a broken socket to the hub connection; nothing to add here.
        }
        finally
        {
            await _output.Reader.CompleteAsync();
        }
    }

    private async Task SendAsync(ReadOnlySequence<byte> buffer)
    {
        if (buffer.IsSingleSegment)
        {
            await _socket.SendAsync(buffer.First, WebSocketMessageType.Text, endOfMessage: true, _aborted.Token);
            return;
        }

        var position = buffer.Start;
        buffer.TryGet(ref position, out var segment);
        while (buffer.TryGet(ref position, out var next))
        {
            await _socket.SendAsync(segment, WebSocketMessageType.Text, endOfMessage: false, _aborted.Token);
            segment = next;
        }

        await _socket.SendAsync(segment, WebSocketMessageType.Text, endOfMessage: true, _aborted.Token);
    }

    private sealed class DuplexPipe(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }
}
