using Microsoft.Extensions.FileProviders;
using Microsoft.Net.Http.Headers;

namespace Chat.Server.Hosting;

/// <summary>
/// Serves the browser page (Chat.Web) at <c>/</c>. The build copies the page into the server's output
/// folder as <see cref="FolderName"/>, so <c>dotnet run</c> and a published server serve the same files.
/// </summary>
public static class WebPageExtensions
{
    /// <summary>The folder next to the server's assembly that holds the page; Chat.Server.csproj fills it.</summary>
    public const string FolderName = "chat-web";

    /// <summary>
    /// Scripts, styles and connections only from the page's own origin; no inline script or style, no
    /// plugins, no framing. Trusted Types with no policy makes every HTML-parsing sink (innerHTML and
    /// friends) throw, so user text can only ever reach the page as text.
    /// </summary>
    public const string ContentSecurityPolicy =
        "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; " +
        "manifest-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'; " +
        "require-trusted-types-for 'script'; trusted-types 'none'";

    public static WebApplication MapChatPage(this WebApplication app)
    {
        var root = Path.Combine(AppContext.BaseDirectory, FolderName);
        if (!Directory.Exists(root))
        {
            app.Logger.LogWarning("The chat page is missing from {Folder}; build Chat.Server with Node.js and npm installed to include it", root);
            return app;
        }

        var files = new PhysicalFileProvider(root);
        app.UseDefaultFiles(new DefaultFilesOptions { FileProvider = files });
        app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = files,
            OnPrepareResponse = context => SetPageHeaders(context.Context.Response),
        });
        return app;
    }

    /// <summary>What every file of the chat and admin pages is served with: the policy above, no sniffing, no referrer.</summary>
    public static void SetPageHeaders(HttpResponse response)
    {
        var headers = response.Headers;
        headers.ContentSecurityPolicy = ContentSecurityPolicy;
        headers.XContentTypeOptions = "nosniff";
        headers["Referrer-Policy"] = "no-referrer";

        // The file names carry no version, so the browser asks each time; an unchanged file costs a 304.
        headers.CacheControl = "no-cache";
    }
}
