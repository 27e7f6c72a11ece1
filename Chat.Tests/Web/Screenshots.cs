using Chat.Tests.Infrastructure;
using Microsoft.Playwright;

namespace Chat.Tests.Web;

/// <summary>
/// The README's pictures: each goes to the test output folder, and with
/// <c>SIGNALRCHAT_UPDATE_SCREENSHOTS=1</c> also replaces its copy in docs/screenshots.
/// </summary>
public static class Screenshots
{
    public static async Task<byte[]> SaveAsync(IPage page, string fileName, bool fullPage = false)
    {
        var output = Path.Combine(AppContext.BaseDirectory, "screenshots", fileName);
        Directory.CreateDirectory(Path.GetDirectoryName(output)!);
        var png = await page.ScreenshotAsync(new() { Path = output, FullPage = fullPage });
        if (Environment.GetEnvironmentVariable("SIGNALRCHAT_UPDATE_SCREENSHOTS") == "1")
        {
            var documented = Path.Combine(RepositoryPaths.Root, "docs", "screenshots", fileName);
            Directory.CreateDirectory(Path.GetDirectoryName(documented)!);
            await File.WriteAllBytesAsync(documented, png);
        }

        return png;
    }
}
