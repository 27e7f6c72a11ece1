using Microsoft.Playwright;

namespace Chat.Tests.Web;

/// <summary>
/// Debian's Chromium, driven headless by Playwright. No browser is downloaded: the tests use the one
/// the system package installs (or the one <c>SIGNALRCHAT_CHROMIUM</c> names).
/// </summary>
public static class Chromium
{
    public const string DefaultExecutablePath = "/usr/bin/chromium";

    public static string ExecutablePath { get; } =
        Environment.GetEnvironmentVariable("SIGNALRCHAT_CHROMIUM") is { Length: > 0 } path ? path : DefaultExecutablePath;

    private static readonly string[] Arguments =
    [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
    ];

    /// <summary>Starts Playwright's driver and a headless Chromium with a fresh profile.</summary>
    public static async Task<(IPlaywright Playwright, IBrowser Browser)> LaunchAsync()
    {
        if (!File.Exists(ExecutablePath))
        {
            throw new InvalidOperationException($"The web tests need Chromium at {ExecutablePath}: install Debian's chromium package (apt-get install chromium).");
        }

        var playwright = await Playwright.CreateAsync();
        try
        {
            var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
            {
                ExecutablePath = ExecutablePath,
                Headless = true,
                Args = Arguments,
                Timeout = 60_000,
            });
            return (playwright, browser);
        }
        catch
        {
            playwright.Dispose();
            throw;
        }
    }
}
