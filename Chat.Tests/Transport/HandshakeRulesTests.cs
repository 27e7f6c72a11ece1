using System.Text;
using Chat.Protocol;
using Chat.Tests.Infrastructure;

namespace Chat.Tests.Transport;

/// <summary>
/// How a hub WebSocket's request head is answered, the same on the direct path and on the HTTP path:
/// Kestrel's limits and timeouts, Kestrel's refusals of heads it does not accept, the WebSocket version
/// and HTTP version rules, the hosts a loopback server answers to, and what a refused nickname logs.
/// </summary>
public abstract class HandshakeRulesTests(ChatServerProcess server)
{
    /// <summary>The short Kestrel timeouts both fixtures run with, so no test waits Kestrel's defaults.</summary>
    public static readonly IReadOnlyDictionary<string, string> ShortTimeouts = new Dictionary<string, string>
    {
        ["Kestrel:Limits:RequestHeadersTimeout"] = "00:00:02",
        ["Kestrel:Limits:KeepAliveTimeout"] = "00:00:03",
    };

    private const string Key = "dGhlIHNhbXBsZSBub25jZQ==";

    // Kestrel's timeouts are checked once a second; this leaves room for that and a busy machine.
    private static readonly TimeSpan Slack = TimeSpan.FromSeconds(3);

    private Uri Address => server.Address;

    private string Host => Address.Authority;

    public static TheoryData<string, int> RefusedHeads => new()
    {
        { "duplicate Origin, the foreign one first", 403 },
        { "space before the colon of Origin", 400 },
        { "bare LF inside the head hiding an Origin", 403 },
        { "duplicate Host", 400 },
        { "Host with a space", 400 },
        { "NUL in a value", 400 },
        { "obs-fold", 400 },
        { "150 headers", 431 },
        { "request line longer than Kestrel's limit", 414 },
        { "HTTP/1.0", 400 },
        { "a rebound host name", 400 },
    };

    [Theory]
    [MemberData(nameof(RefusedHeads))]
    public async Task A_head_kestrel_refuses_gets_kestrels_status_and_no_upgrade(string head, int status)
    {
        var (response, _) = await WireSocket.ExchangeAsync(Address, Head(head), TimeSpan.FromSeconds(10));

        WireSocket.StatusLine(response).Should().StartWith($"HTTP/1.1 {status} ", response);
    }

    [Theory]
    [InlineData("control byte in a value")]
    [InlineData("two spaces in the request line")]
    public async Task A_head_kestrel_takes_but_the_direct_path_does_not_read_is_upgraded_by_kestrel(string head)
    {
        // Kestrel takes these; the direct path leaves them to it rather than read them its own way.
        var (response, _) = await WireSocket.ExchangeAsync(Address, Head(head), TimeSpan.FromSeconds(10));

        WireSocket.StatusLine(response).Should().StartWith("HTTP/1.1 101 ", response);
        response.Should().Contain("Server: Kestrel\r\n", "the direct path's own 101 names no server");
    }

    [Fact]
    public async Task A_wrong_websocket_version_gets_426_naming_version_13()
    {
        var (response, _) = await WireSocket.ExchangeAsync(Address, Upgrade(version: "8"), TimeSpan.FromSeconds(10));

        WireSocket.StatusLine(response).Should().StartWith("HTTP/1.1 426 ", response);
        response.Should().Contain("Sec-WebSocket-Version: 13\r\n");
    }

    [Fact]
    public async Task Loopback_host_names_on_any_port_connect()
    {
        foreach (var host in new[] { $"localhost:{Address.Port}", "127.0.0.1", "[::1]:1234" })
        {
            var (response, _) = await WireSocket.ExchangeAsync(Address, Upgrade(host: host), TimeSpan.FromSeconds(10));

            WireSocket.StatusLine(response).Should().StartWith("HTTP/1.1 101 ", host);
            response.Should().Contain($"Sec-WebSocket-Accept: {WireSocket.AcceptFor(Key)}\r\n");
        }
    }

    [Fact]
    public async Task A_head_that_stops_halfway_is_answered_408_within_the_header_timeout()
    {
        var (response, elapsed) = await WireSocket.ExchangeAsync(Address, "GET /hu"u8.ToArray(), TimeSpan.FromSeconds(20));

        WireSocket.StatusLine(response).Should().Be("HTTP/1.1 408 Request Timeout");
        response.Should().Contain("Connection: close\r\n");
        elapsed.Should().BeLessThan(TimeSpan.FromSeconds(2) + Slack);
    }

    [Fact]
    public async Task A_connection_that_sends_nothing_is_closed_without_a_word_within_the_keep_alive_timeout()
    {
        var (response, elapsed) = await WireSocket.ExchangeAsync(Address, [], TimeSpan.FromSeconds(20));

        response.Should().BeEmpty();
        elapsed.Should().BeLessThan(TimeSpan.FromSeconds(3) + Slack);
    }

    [Fact]
    public async Task A_complete_head_with_bare_LF_line_ends_is_answered_at_once()
    {
        var head = Encoding.ASCII.GetBytes(Encoding.ASCII.GetString(Upgrade()).Replace("\r\n", "\n", StringComparison.Ordinal));

        var (response, elapsed) = await WireSocket.ExchangeAsync(Address, head, TimeSpan.FromSeconds(20));

        // Kestrel accepts LF line ends; what matters is that the answer does not wait for a timeout.
        WireSocket.StatusLine(response).Should().StartWith("HTTP/1.1 101 ", response);
        elapsed.Should().BeLessThan(TimeSpan.FromSeconds(1.5));
    }

    [Fact]
    public async Task A_refused_nickname_is_logged_as_information_without_an_error_or_a_stack()
    {
        var taken = Names.User("taken");
        await using var owner = await TestClient.ConnectAsync(Address, taken);

        foreach (var name in new[] { taken, "bad%20name" })
        {
            await using var socket = await WireSocket.UpgradeAsync(Address, $"?name={name}");
            await socket.SendTextAsync("{\"protocol\":\"json\",\"version\":1}\u001e");
            (await socket.ReceiveTextContainingAsync("\"type\":7")).Should().Contain("HubException: ");
        }

        // The console logger writes in order: once a later entry is out, the refusals' entries are too.
        var marker = Names.User("after");
        await using (await TestClient.ConnectAsync(Address, marker))
        {
            await server.WaitForOutputAsync($"as {marker}");
        }

        server.Output.Should().Contain("[REFUSED]").And.NotContain("HubException").And.NotContain("fail:");
        server.Output.Should().Contain("info: Chat.Server.Hubs.ChatHub[2]", "the refusal's own entry is at Information");
    }

    private byte[] Head(string name) => name switch
    {
        "duplicate Origin, the foreign one first" => Upgrade($"Origin: http://evil.example\r\nOrigin: http://{Host}\r\n"),
        "space before the colon of Origin" => Upgrade("Origin : http://evil.example\r\n"),
        "bare LF inside the head hiding an Origin" => Upgrade("X-Note: a\nOrigin: http://evil.example\r\n"),
        "duplicate Host" => Upgrade("Host: other.example\r\n"),
        "Host with a space" => Upgrade(host: "a b"),
        "NUL in a value" => Upgrade("X-Note: a\0b\r\n"),
        "control byte in a value" => Upgrade("X-Note: a\u0001b\r\n"),
        "obs-fold" => Upgrade("X-Note: a\r\n b\r\n"),
        "150 headers" => Upgrade(string.Concat(Enumerable.Range(0, 150).Select(i => $"X-Header-{i}: {i}\r\n"))),
        "request line longer than Kestrel's limit" => Upgrade(target: $"{ChatEndpoints.HubPath}?pad={new string('a', 9000)}"),
        "two spaces in the request line" => Upgrade(target: ChatEndpoints.HubPath + " "),
        "HTTP/1.0" => Upgrade(protocol: "HTTP/1.0"),
        "a rebound host name" => Upgrade($"Origin: http://evil.example:{Address.Port}\r\n", host: $"evil.example:{Address.Port}"),
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, null),
    };

    private byte[] Upgrade(string extra = "", string? host = null, string version = "13", string? target = null, string protocol = "HTTP/1.1") =>
        Encoding.Latin1.GetBytes(
            $"GET {target ?? ChatEndpoints.HubPath} {protocol}\r\nHost: {host ?? Host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
            + $"Sec-WebSocket-Key: {Key}\r\nSec-WebSocket-Version: {version}\r\n{extra}\r\n");
}

/// <summary>A server on the direct path with short Kestrel timeouts.</summary>
public sealed class ShortTimeoutsServerFixture : ChatServerFixture
{
    protected override IReadOnlyDictionary<string, string> Settings => HandshakeRulesTests.ShortTimeouts;
}

/// <summary>A server on the HTTP path with short Kestrel timeouts.</summary>
public sealed class ShortTimeoutsHttpServerFixture : ChatServerFixture
{
    protected override IReadOnlyDictionary<string, string> Settings => HandshakeRulesTests.ShortTimeouts;

    public override WebSocketPath Path => WebSocketPath.Http;
}

public sealed class DirectHandshakeRulesTests(ShortTimeoutsServerFixture fixture)
    : HandshakeRulesTests(fixture.Server), IClassFixture<ShortTimeoutsServerFixture>;

public sealed class HttpHandshakeRulesTests(ShortTimeoutsHttpServerFixture fixture)
    : HandshakeRulesTests(fixture.Server), IClassFixture<ShortTimeoutsHttpServerFixture>;
