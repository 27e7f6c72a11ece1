using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Chat.Protocol;
using Chat.Tests.Infrastructure;

namespace Chat.Tests.Interop;

/// <summary>
/// .NET's <see cref="ClientWebSocket"/> against the hub, through its public API only: what an
/// application on it sends and what it reports back.
/// </summary>
public abstract class ClientWebSocketTests(InteropServerFixture server)
{
    private const char RecordSeparator = '\u001e';
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task ClientWebSocket_sends_a_hub_invocation_in_fragments_and_gets_its_completion()
    {
        var room = Names.Room();
        using var socket = await ConnectAsync();
        var message = Encoding.UTF8.GetBytes(Invocation("1", nameof(IChatHub.Join), room));
        var third = message.Length / 3;

        await SendAsync(socket, message[..third], endOfMessage: false);
        await SendAsync(socket, message[third..(2 * third)], endOfMessage: false);
        await SendAsync(socket, message[(2 * third)..], endOfMessage: true);

        ClientReport.JoinedRoom(await CompletionAsync(socket, "1")).Should().Be(room);
    }

    [Fact]
    public async Task ClientWebSocket_keep_alive_pings_are_answered_so_the_connection_stays_up()
    {
        // ClientWebSocket pings every interval and aborts the connection when a pong does not come back
        // within the timeout. Call the hub once an interval for twenty intervals, twice the timeout
        // (slowly enough for its rate limits): each call completing means every ping so far was answered.
        var interval = TimeSpan.FromMilliseconds(100);
        using var socket = await ConnectAsync(options =>
        {
            options.KeepAliveInterval = interval;
            options.KeepAliveTimeout = TimeSpan.FromSeconds(1);
        });

        for (var call = 0; call < 20; call++)
        {
            var id = $"me{call}";
            await SendAsync(socket, Encoding.UTF8.GetBytes(Invocation(id, nameof(IChatHub.Me))), endOfMessage: true);
            var completion = await CompletionAsync(socket, id);
            completion.TryGetProperty("error", out var error).Should().BeFalse($"Me failed: {error}");
            await Task.Delay(interval);
        }

        socket.State.Should().Be(WebSocketState.Open);
    }

    [Fact]
    public async Task ClientWebSocket_closing_with_1000_sees_the_server_close_with_1000()
    {
        using var socket = await ConnectAsync();

        await CloseAsync(socket, WebSocketCloseStatus.NormalClosure, null);

        socket.State.Should().Be(WebSocketState.Closed);
        socket.CloseStatus.Should().Be(WebSocketCloseStatus.NormalClosure);
    }

    [Fact]
    public async Task ClientWebSocket_closing_with_4000_and_a_reason_gets_a_clean_close_back()
    {
        using var socket = await ConnectAsync();

        await CloseAsync(socket, (WebSocketCloseStatus)4000, "going to lunch");

        // An echo (RFC 6455 section 5.5.1, the direct path) or ASP.NET Core's 1000: both clean.
        socket.State.Should().Be(WebSocketState.Closed);
        ((int?)socket.CloseStatus).Should().BeOneOf(4000, 1000);
    }

    [Fact]
    public async Task ClientWebSocket_is_closed_by_the_server_for_a_frame_over_twice_the_message_limit()
    {
        using var socket = await ConnectAsync();

        // One SendAsync with endOfMessage is one frame on the wire.
        await SendAsync(socket, Encoding.UTF8.GetBytes(new string('x', 70 * 1024)), endOfMessage: true);

        (await CloseStatusAsync(socket)).Should().Be(server.OversizeCloseStatus);
    }

    [Fact]
    public async Task ClientWebSocket_gets_close_1007_for_invalid_utf8_in_a_text_message()
    {
        using var socket = await ConnectAsync();

        // ClientWebSocket sends a text message's bytes as given, without checking them.
        await SendAsync(socket, [0x7b, 0xff, 0xfe, 0x7d, 0x1e], endOfMessage: true);

        if (server is HttpPathServerFixture)
        {
            // ASP.NET Core's WebSocket answers text that is not UTF-8 with its own 1007 close and resets the
            // connection right after it; a client that reads late sees the reset (no close frame) first.
            new int?[] { 1007, null }.Should().Contain(await CloseStatusOrResetAsync(socket));
        }
        else
        {
            (await CloseStatusAsync(socket)).Should().Be(1007);
        }
    }

    [Fact]
    public async Task ClientWebSocket_sending_a_burst_of_large_messages_after_joining_gets_every_completion()
    {
        var room = Names.Room();
        using var socket = await ConnectAsync();
        await SendAsync(socket, Encoding.UTF8.GetBytes(Invocation("join", nameof(IChatHub.Join), room)), endOfMessage: true);
        ClientReport.JoinedRoom(await CompletionAsync(socket, "join")).Should().Be(room);

        // Everything queued while offline goes out at once, as ChatClient sends it after a reconnect.
        var ids = Enumerable.Range(0, ClientReport.Burst).Select(i => $"send{i}").ToList();
        for (var i = 0; i < ids.Count; i++)
        {
            var text = new string((char)(0x4E00 + i), 2000);
            await SendAsync(socket, Encoding.UTF8.GetBytes(Invocation(ids[i], nameof(IChatHub.SendMessage), room, text, Guid.NewGuid().ToString("N"))), endOfMessage: true);
        }

        var completions = new List<object>();
        foreach (var id in ids)
        {
            var completion = await CompletionAsync(socket, id);
            completions.Add(completion.TryGetProperty("error", out var error)
                ? new { error = error.GetString() }
                : new { seq = completion.GetProperty("result").GetProperty("seq").GetInt64(), textLength = completion.GetProperty("result").GetProperty("text").GetString()!.Length });
        }

        ClientReport.ShouldHaveStoredTheWholeBurst(JsonSerializer.SerializeToElement(new { completions, open = socket.State == WebSocketState.Open }));
    }

    private static string Invocation(string id, string target, params object[] arguments) =>
        JsonSerializer.Serialize(new { type = 1, invocationId = id, target, arguments }) + RecordSeparator;

    private async Task<ClientWebSocket> ConnectAsync(Action<ClientWebSocketOptions>? configure = null)
    {
        var socket = new ClientWebSocket();
        configure?.Invoke(socket.Options);
        try
        {
            using var timeout = new CancellationTokenSource(Timeout);
            await socket.ConnectAsync(server.HubUri, timeout.Token);
            await SendAsync(socket, Encoding.UTF8.GetBytes("{\"protocol\":\"json\",\"version\":1}" + RecordSeparator), endOfMessage: true);
            await RecordAsync(socket, record => !record.TryGetProperty("type", out _));
            return socket;
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }

    private static async Task SendAsync(ClientWebSocket socket, byte[] bytes, bool endOfMessage)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        await socket.SendAsync(bytes, WebSocketMessageType.Text, endOfMessage, timeout.Token);
    }

    private static Task<JsonElement> CompletionAsync(ClientWebSocket socket, string id) =>
        RecordAsync(socket, record => record.TryGetProperty("type", out var type) && type.GetInt32() == 3 && record.GetProperty("invocationId").GetString() == id);

    /// <summary>Reads hub records until one matches; the others (pings, events) are dropped.</summary>
    private static async Task<JsonElement> RecordAsync(ClientWebSocket socket, Func<JsonElement, bool> match)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        var buffer = new byte[64 * 1024];
        using var message = new MemoryStream();
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, timeout.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                throw new InvalidOperationException($"The server closed the connection with {socket.CloseStatus}.");
            }

            message.Write(buffer, 0, result.Count);
            if (!result.EndOfMessage)
            {
                continue;
            }

            foreach (var record in Encoding.UTF8.GetString(message.ToArray()).Split(RecordSeparator, StringSplitOptions.RemoveEmptyEntries))
            {
                var parsed = JsonDocument.Parse(record).RootElement.Clone();
                if (match(parsed))
                {
                    return parsed;
                }
            }

            message.SetLength(0);
        }
    }

    private static async Task CloseAsync(ClientWebSocket socket, WebSocketCloseStatus status, string? reason)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        await socket.CloseAsync(status, reason, timeout.Token);
    }

    /// <summary>The status of the server's close frame, or null when the connection was reset before it was read.</summary>
    private static async Task<int?> CloseStatusOrResetAsync(ClientWebSocket socket)
    {
        try
        {
            return await CloseStatusAsync(socket);
        }
        catch (WebSocketException exception) when (exception.WebSocketErrorCode == WebSocketError.ConnectionClosedPrematurely)
        {
            return null;
        }
    }

    /// <summary>Reads until the server's close frame; the status it carried.</summary>
    private static async Task<int?> CloseStatusAsync(ClientWebSocket socket)
    {
        using var timeout = new CancellationTokenSource(Timeout);
        var buffer = new byte[64 * 1024];
        while (true)
        {
            var result = await socket.ReceiveAsync(buffer, timeout.Token);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return (int?)result.CloseStatus;
            }
        }
    }
}

public sealed class ClientWebSocketOnDirectPathTests(DirectPathServerFixture server)
    : ClientWebSocketTests(server), IClassFixture<DirectPathServerFixture>;

public sealed class ClientWebSocketOnHttpPathTests(HttpPathServerFixture server)
    : ClientWebSocketTests(server), IClassFixture<HttpPathServerFixture>;
