using Chat.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Chat.Tests.Web;

/// <summary>One chat server and one headless Chromium for a test class; each test opens pages in fresh contexts.</summary>
public sealed class ChatPageFixture : IAsyncLifetime
{
    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private ChatServerProcess? _server;

    public IBrowser Browser => _browser ?? throw new InvalidOperationException("The browser has not started.");

    public ChatServerProcess Server => _server ?? throw new InvalidOperationException("The server has not started.");

    public Uri Address => Server.Address;

    public async Task InitializeAsync()
    {
        Assertions.SetDefaultExpectTimeout(15_000);
        // Tests fill rooms with history quickly; the per-connection send limit is not what they are about.
        var server = ChatServerProcess.StartAsync(settings: new Dictionary<string, string>
        {
            ["Chat:Limits:SendsPerSecond"] = "1000",
            ["Chat:Limits:SendBurst"] = "1000",

            // The admin page's tests drive the admin screen of this server (from loopback, as an administrator).
            ["Chat:Admin:Enabled"] = "true",

            // Every page signs up and in from loopback; the per-address limits are not what these tests are about.
            ["Chat:Auth:RateLimit:SignInsPerAddress"] = "1000",
            ["Chat:Auth:RateLimit:SignUpsPerAddress"] = "1000",
        });
        var browser = Chromium.LaunchAsync();
        try
        {
            _server = await server;
        }
        finally
        {
            (_playwright, _browser) = await browser;
        }
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.CloseAsync();
        }

        _playwright?.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
