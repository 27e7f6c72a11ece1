using Chat.Server.Admin.Internal;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Options;

namespace Chat.Server.Admin;

/// <summary>Wires the admin screen (<c>/admin</c>) and its API (<c>/admin/api</c>).</summary>
public static class AdminServiceExtensions
{
    public const string Path = "/admin";

    /// <summary>The folder next to the server's assembly that holds the admin page; Chat.Server.csproj fills it from Chat.Web/admin.</summary>
    public const string FolderName = "chat-admin";

    /// <summary>
    /// The admin policy and what the screen reads and does. The recent-activity ring and the command
    /// channel are always there (the hub reports to one, and in a cluster a node obeys commands from
    /// another node's screen whether or not its own is enabled); the rest only works while enabled.
    /// </summary>
    public static IHostApplicationBuilder AddChatAdmin(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<AdminOptions>().BindConfiguration(AdminOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        builder.Services.TryAddSingleton<RecentActivity>();
        builder.Services.AddSingleton<AdminActions>();
        builder.Services.AddSingleton<AdminCommandChannel>();
        builder.Services.AddHostedService(services => services.GetRequiredService<AdminCommandChannel>());

        // The policy's requirement is the seam for accounts: they replace the handler, not the policy.
        builder.Services.AddAuthorizationBuilder()
            .AddPolicy(ChatAdminRequirement.PolicyName, policy => policy.AddRequirements(new ChatAdminRequirement()));
        builder.Services.AddSingleton<IAuthorizationHandler, LocalAdministratorHandler>();
        builder.Services.AddSingleton<Microsoft.AspNetCore.Authorization.IAuthorizationMiddlewareResultHandler, AdminRefusal>();

        if (builder.Configuration.GetSection(AdminOptions.SectionName).Get<AdminOptions>() is { Enabled: true })
        {
            builder.Services.AddSingleton<TrafficRecorder>();
            builder.Services.AddHostedService(services => services.GetRequiredService<TrafficRecorder>());
            builder.Services.AddSingleton<ThisNode>();
            builder.Services.AddSingleton<ClusterNodes>();
            builder.Services.AddHostedService(services => services.GetRequiredService<ClusterNodes>());
        }

        return builder;
    }

    /// <summary>
    /// <c>/admin</c> (the page) and <c>/admin/api</c>, behind the <see cref="ChatAdminRequirement.PolicyName"/>
    /// policy (refused: 404); the API also answers only the page's own origin (else 403). Nothing is
    /// mapped while the screen is disabled, so every path under <c>/admin</c> is a plain 404.
    /// </summary>
    public static WebApplication MapChatAdmin(this WebApplication app)
    {
        if (!app.Services.GetRequiredService<IOptions<AdminOptions>>().Value.Enabled)
        {
            return app;
        }

        // The framework puts UseAuthorization after routing by itself, since authorization is registered.
        var admin = app.MapGroup(Path).RequireAuthorization(ChatAdminRequirement.PolicyName);

        // With named administrators, the browser loads the page without a token (a navigation cannot
        // carry one); the page holds no data and asks the API, which still requires an administrator's
        // token, for everything. Without them, the loopback rule guards the page as well.
        var pages = app.Services.GetRequiredService<IOptions<Accounts.AuthOptions>>().Value.Admins.Length > 0 ? app.MapGroup(Path) : admin;

        var root = System.IO.Path.Combine(AppContext.BaseDirectory, FolderName);
        if (Directory.Exists(root))
        {
            var page = new AdminPage(new PhysicalFileProvider(root));
            pages.MapGet("", (HttpContext context) => page.Serve(context, file: null));
            pages.MapGet("/{**file}", (HttpContext context, string? file) => page.Serve(context, file));
        }
        else
        {
            app.Logger.PageMissing(root);
        }

        var api = admin.MapGroup("/api").AddEndpointFilter<SameOriginFilter>();
        api.MapGet("/overview", AdminApi.GetOverviewAsync);
        api.MapPost("/rooms/{room}/close", AdminApi.CloseRoomAsync);
        api.MapPost("/users/{nickname}/disconnect", AdminApi.DisconnectUserAsync);
        return app;
    }
}
