using Chat.Server.Hosting;
using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;

namespace Chat.Server.Admin.Internal;

/// <summary>
/// Serves the admin page's files (Chat.Web/admin, copied beside the assembly as
/// <see cref="AdminServiceExtensions.FolderName"/>) from endpoints behind the admin policy. They are
/// not under the chat page's folder, so the chat page's static files never serve them to anyone.
/// </summary>
internal sealed class AdminPage(IFileProvider files)
{
    public const string Document = "admin.html";

    private static readonly FileExtensionContentTypeProvider ContentTypes = new();

    // GET /admin, /admin/ and /admin/{file}
    public IResult Serve(HttpContext context, string? file)
    {
        var info = files.GetFileInfo(string.IsNullOrEmpty(file) ? Document : file);
        if (!info.Exists || info.IsDirectory || info.PhysicalPath is null || !ContentTypes.TryGetContentType(info.Name, out var contentType))
        {
            return TypedResults.NotFound();
        }

        WebPageExtensions.SetPageHeaders(context.Response);
        return TypedResults.PhysicalFile(info.PhysicalPath, contentType, lastModified: info.LastModified);
    }
}
