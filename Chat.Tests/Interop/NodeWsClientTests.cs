using System.Text.Json;
using Chat.Tests.Infrastructure;

namespace Chat.Tests.Interop;

/// <summary>
/// Node's ws package (pinned in Chat.Tests/Interop/node, installed there by <c>npm ci</c>) against the
/// hub. Besides what any client sends, ws can send what a broken peer would: an unmasked frame, a text
/// frame that is not UTF-8.
/// </summary>
public abstract class NodeWsClientTests(InteropServerFixture server)
{
    private const string Node = "node";

    [Fact]
    public async Task Node_ws_client_sends_a_hub_invocation_in_fragments_and_gets_its_completion()
    {
        var room = Names.Room();

        var report = await RunAsync("fragmented", room);

        ClientReport.JoinedRoom(report.GetProperty("completion")).Should().Be(room);
    }

    [Fact]
    public async Task Node_ws_client_gets_the_pong_for_its_ping_with_the_same_payload()
    {
        var report = await RunAsync("ping");

        report.GetProperty("pong").GetString().Should().Be("are you there");
    }

    [Fact]
    public async Task Node_ws_client_closing_with_1000_sees_the_server_close_with_1000()
    {
        var report = await RunAsync("close-1000");

        ClientReport.CloseCode(report).Should().Be(1000);
    }

    [Fact]
    public async Task Node_ws_client_closing_with_4000_and_a_reason_gets_a_clean_close_back()
    {
        var report = await RunAsync("close-4000");

        // An echo (RFC 6455 section 5.5.1, the direct path) or ASP.NET Core's 1000: both clean.
        ClientReport.CloseCode(report).Should().BeOneOf(4000, 1000);
    }

    [Fact]
    public async Task Node_ws_client_is_closed_by_the_server_for_a_frame_over_twice_the_message_limit()
    {
        var report = await RunAsync("oversize");

        ClientReport.CloseCode(report).Should().Be(server.OversizeCloseStatus);
    }

    [Fact]
    public async Task Node_ws_client_gets_close_1002_for_an_unmasked_frame()
    {
        var report = await RunAsync("unmasked");

        ClientReport.CloseCode(report).Should().Be(1002);
    }

    [Fact]
    public async Task Node_ws_client_gets_close_1007_for_invalid_utf8_in_a_text_frame()
    {
        var report = await RunAsync("invalid-utf8");

        ClientReport.CloseCode(report).Should().Be(1007);
    }

    [Fact]
    public async Task Node_ws_client_sending_a_burst_of_large_messages_after_joining_gets_every_completion()
    {
        var report = await RunAsync("burst", Names.Room());

        ClientReport.ShouldHaveStoredTheWholeBurst(report);
    }

    private Task<JsonElement> RunAsync(string scenario, string? room = null)
    {
        var directory = ExternalClient.Directory("node");
        if (!Directory.Exists(Path.Combine(directory, "node_modules", "ws")))
        {
            throw new InvalidOperationException($"Node's ws package is missing: run npm ci in {directory} (./build.sh test does).");
        }

        return ExternalClient.RunAsync(Node, directory, "interop-client.mjs", server.HubUri.ToString(), scenario, room ?? Names.Room());
    }
}

public sealed class NodeWsClientOnDirectPathTests(DirectPathServerFixture server)
    : NodeWsClientTests(server), IClassFixture<DirectPathServerFixture>;

public sealed class NodeWsClientOnHttpPathTests(HttpPathServerFixture server)
    : NodeWsClientTests(server), IClassFixture<HttpPathServerFixture>;
