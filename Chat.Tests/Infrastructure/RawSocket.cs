using System.Net.WebSockets;
using System.Text;
using Chat.Protocol;

namespace Chat.Tests.Infrastructure;

/// <summary>A bare WebSocket to the hub, for sending what no well-behaved client would.</summary>
public sealed class RawSocket : IAsyncDisposable
{
    public const char RecordSeparator = '\u001e';

    private RawSocket(ClientWebSocket socket)
    {
        Socket = socket;
    }

    public ClientWebSocket Socket { get; }

    public static async Task<RawSocket> ConnectAsync(Uri server, string? query = null, string? origin = null)
    {
        var socket = new ClientWebSocket();
        socket.Options.CollectHttpResponseDetails = true;
        if (origin is not null)
        {
            socket.Options.SetRequestHeader("Origin", origin);
        }

        var uri = new UriBuilder(new Uri(server, ChatEndpoints.HubPath)) { Scheme = server.Scheme == "https" ? "wss" : "ws", Query = query ?? string.Empty }.Uri;
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            await socket.ConnectAsync(uri, timeout.Token);
        }
        catch
        {
            var status = socket.HttpStatusCode;
            socket.Dispose();
            throw new RawSocketRefusedException(status);
        }

        return new RawSocket(socket);
    }

    /// <summary>Connects and completes the JSON protocol handshake.</summary>
    public static async Task<RawSocket> ConnectWithHandshakeAsync(Uri server, string? query = null)
    {
        var raw = await ConnectAsync(server, query);
        await raw.SendTextAsync("{\"protocol\":\"json\",\"version\":1}" + RecordSeparator);
        var answer = await raw.ReceiveTextAsync(TimeSpan.FromSeconds(10));
        if (answer != "{}" + RecordSeparator)
        {
            throw new InvalidOperationException($"Unexpected handshake answer: {answer}");
        }

        return raw;
    }

    public static string Invocation(string target, params object?[] arguments) =>
        System.Text.Json.JsonSerializer.Serialize(new { type = 1, invocationId = Guid.NewGuid().ToString("N"), target, arguments }) + RecordSeparator;

    public Task SendTextAsync(string text) => SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text);

    public async Task SendAsync(byte[] bytes, WebSocketMessageType type)
    {
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        await Socket.SendAsync(bytes, type, endOfMessage: true, timeout.Token);
    }

    /// <summary>One whole WebSocket message as text, or null when the server closed the socket.</summary>
    public async Task<string?> ReceiveTextAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        while (true)
        {
            var result = await Socket.ReceiveAsync(buffer, cancel.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return null;
            }

            message.Write(buffer, 0, result.Count);
            if (result.EndOfMessage)
            {
                return Encoding.UTF8.GetString(message.ToArray());
            }
        }
    }

    /// <summary>Reads (and drops) everything until the server closes the socket; true if it did within the timeout.</summary>
    public async Task<bool> WaitForCloseAsync(TimeSpan timeout)
    {
        using var cancel = new CancellationTokenSource(timeout);
        var buffer = new byte[64 * 1024];
        try
        {
            while (true)
            {
                var result = await Socket.ReceiveAsync(buffer, cancel.Token);
                if (result.MessageType == WebSocketMessageType.Close)
                {
                    return true;
                }
            }
        }
        catch (OperationCanceledException) when (cancel.IsCancellationRequested)
        {
            return false;
        }
        catch (WebSocketException)
        {
            return true;
        }
    }

    public ValueTask DisposeAsync()
    {
        Socket.Abort();
        Socket.Dispose();
        return ValueTask.CompletedTask;
    }
}

public sealed class RawSocketRefusedException(System.Net.HttpStatusCode status)
    : Exception($"The WebSocket connection was refused with HTTP {(int)status}.")
{
    public System.Net.HttpStatusCode Status { get; } = status;
}
