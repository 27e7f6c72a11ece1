using System.Text.Json;
using Chat.Tests.Infrastructure;

namespace Chat.Tests.Interop;

/// <summary>
/// Python's websockets library (Debian's python3-websockets) against the hub. It runs under
/// /usr/bin/python3, the interpreter that sees Debian's packages: a python3 earlier on the PATH (a
/// pyenv one, say) would not find the library.
/// </summary>
public abstract class PythonWebSocketsClientTests(InteropServerFixture server)
{
    private const string Python = "/usr/bin/python3";

    [Fact]
    public async Task Python_websockets_client_sends_a_hub_invocation_in_fragments_and_gets_its_completion()
    {
        var room = Names.Room();

        var report = await RunAsync("fragmented", room);

        ClientReport.JoinedRoom(report.GetProperty("completion")).Should().Be(room);
    }

    [Fact]
    public async Task Python_websockets_client_gets_the_pong_for_its_ping()
    {
        var report = await RunAsync("ping");

        report.GetProperty("pong").GetBoolean().Should().BeTrue();
    }

    [Fact]
    public async Task Python_websockets_client_closing_with_1000_sees_the_server_close_with_1000()
    {
        var report = await RunAsync("close-1000");

        ClientReport.CloseCode(report).Should().Be(1000);
    }

    [Fact]
    public async Task Python_websockets_client_closing_with_4000_and_a_reason_gets_a_clean_close_back()
    {
        var report = await RunAsync("close-4000");

        // The answer typically echoes the client's status (RFC 6455 section 5.5.1), as the direct path
        // does; ASP.NET Core's stack answers 1000. Either ends the handshake cleanly; 1005 or 1006
        // here would mean the server's close never arrived.
        ClientReport.CloseCode(report).Should().BeOneOf(4000, 1000);
    }

    [Fact]
    public async Task Python_websockets_client_is_closed_by_the_server_for_a_frame_over_twice_the_message_limit()
    {
        var report = await RunAsync("oversize");

        ClientReport.CloseCode(report).Should().Be(server.OversizeCloseStatus);
    }

    [Fact]
    public async Task Python_websockets_client_sending_a_burst_of_large_messages_after_joining_gets_every_completion()
    {
        var report = await RunAsync("burst", Names.Room());

        ClientReport.ShouldHaveStoredTheWholeBurst(report);
    }

    private Task<JsonElement> RunAsync(string scenario, string? room = null) =>
        ExternalClient.RunAsync(Python, ExternalClient.Directory("python"), "interop_client.py", server.HubUri.ToString(), scenario, room ?? Names.Room());
}

public sealed class PythonWebSocketsClientOnDirectPathTests(DirectPathServerFixture server)
    : PythonWebSocketsClientTests(server), IClassFixture<DirectPathServerFixture>;

public sealed class PythonWebSocketsClientOnHttpPathTests(HttpPathServerFixture server)
    : PythonWebSocketsClientTests(server), IClassFixture<HttpPathServerFixture>;
