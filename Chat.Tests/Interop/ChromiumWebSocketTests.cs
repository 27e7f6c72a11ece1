using System.Text.Json;
using Chat.Tests.Infrastructure;
using Chat.Tests.Web;
using Microsoft.Playwright;

namespace Chat.Tests.Interop;

/// <summary>
/// Chromium's own WebSocket (Debian's /usr/bin/chromium, headless through Playwright) against the hub:
/// <c>new WebSocket(...)</c> in a page the chat server served. A page script cannot fragment, ping or
/// send anything but valid UTF-8, so those scenarios are the other clients'.
/// </summary>
public abstract class ChromiumWebSocketTests(InteropServerFixture server, BrowserFixture browser)
{
    // Each wait inside the page has its own 10 s timeout; this bounds the whole evaluation.
    private static readonly TimeSpan EvaluationTimeout = TimeSpan.FromSeconds(30);

    private static readonly string Script = File.ReadAllText(Path.Combine(ExternalClient.Directory("chromium"), "interop-page.js"));

    [Fact]
    public async Task Chromium_websocket_closing_with_1000_sees_the_server_close_with_1000()
    {
        var report = await RunAsync("close-1000");

        ClientReport.CloseCode(report).Should().Be(1000);
        report.GetProperty("wasClean").GetBoolean().Should().BeTrue();
    }

    [Fact]
    public async Task Chromium_websocket_closing_with_4000_and_a_reason_gets_a_clean_close_back()
    {
        var report = await RunAsync("close-4000");

        // An echo (RFC 6455 section 5.5.1, the direct path) or ASP.NET Core's 1000: both clean.
        ClientReport.CloseCode(report).Should().BeOneOf(4000, 1000);
        report.GetProperty("wasClean").GetBoolean().Should().BeTrue();
    }

    [Fact]
    public async Task Chromium_websocket_is_closed_by_the_server_for_a_frame_over_twice_the_message_limit()
    {
        var report = await RunAsync("oversize");

        ClientReport.CloseCode(report).Should().Be(server.OversizeCloseStatus);
    }

    [Fact]
    public async Task Chromium_websocket_sending_a_burst_of_large_messages_after_joining_gets_every_completion()
    {
        var report = await RunAsync("burst");

        ClientReport.ShouldHaveStoredTheWholeBurst(report);
    }

    private async Task<JsonElement> RunAsync(string scenario)
    {
        await using var context = await browser.Browser.NewContextAsync();
        var page = await context.NewPageAsync();
        // A page of the server's own origin, which the origin check lets in; /healthz rather than the
        // chat page, whose own hub connection would only add traffic.
        await page.GotoAsync(new Uri(server.Address, "/healthz").ToString(), new PageGotoOptions { Timeout = 15_000 });

        var arguments = new { url = server.HubUri.ToString(), scenario, room = Names.Room() };
        return await page.EvaluateAsync<JsonElement>(Script, arguments).WaitAsync(EvaluationTimeout);
    }
}

public sealed class ChromiumWebSocketOnDirectPathTests(DirectPathServerFixture server, BrowserFixture browser)
    : ChromiumWebSocketTests(server, browser), IClassFixture<DirectPathServerFixture>, IClassFixture<BrowserFixture>;

public sealed class ChromiumWebSocketOnHttpPathTests(HttpPathServerFixture server, BrowserFixture browser)
    : ChromiumWebSocketTests(server, browser), IClassFixture<HttpPathServerFixture>, IClassFixture<BrowserFixture>;
