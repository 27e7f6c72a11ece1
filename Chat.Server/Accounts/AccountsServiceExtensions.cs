using Chat.Protocol;
using Chat.Server.Accounts.Internal;
using Chat.Server.Admin.Internal;
using Chat.Server.History;
using Chat.Server.Transport;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;

namespace Chat.Server.Accounts;

/// <summary>Wires accounts: the store, tokens, the JwtBearer scheme, sign-up and sign-in and their rate limits.</summary>
public static class AccountsServiceExtensions
{
    /// <summary>
    /// Accounts in the message store's database (SQLite or PostgreSQL, as <c>Chat:History:Provider</c>
    /// says), access tokens checked by the JwtBearer scheme, and the hub's sign-in (<see cref="HubSignIn"/>).
    /// Call after <c>AddChatHistory</c>: the accounts' tables are created after the history's database answers.
    /// </summary>
    public static IHostApplicationBuilder AddChatAccounts(this IHostApplicationBuilder builder)
    {
        builder.Services.AddOptions<AuthOptions>().BindConfiguration(AuthOptions.SectionName).ValidateDataAnnotations().ValidateOnStart();
        if (HistoryOptions.UsesPostgres(builder.Configuration))
        {
            builder.Services.AddSingleton<IAccountStore, PostgresAccountStore>();
        }
        else
        {
            builder.Services.AddSingleton<IAccountStore, SqliteAccountStore>();
        }

        builder.Services.AddSingleton<SigningKeys>();
        builder.Services.AddSingleton<AccessTokens>();
        builder.Services.AddSingleton<AccountDirectory>();
        builder.Services.AddSingleton<AccountNames>();
        builder.Services.AddSingleton<HubSignIn>();
        builder.Services.AddSingleton<UsernameThrottle>();
        builder.Services.AddHostedService<AccountsInitializer>();

        builder.Services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme).AddJwtBearer();
        builder.Services.AddOptions<JwtBearerOptions>(JwtBearerDefaults.AuthenticationScheme).Configure<SigningKeys>((jwt, keys) =>
        {
            jwt.MapInboundClaims = false;
            jwt.TokenValidationParameters = AccessTokens.Parameters(keys);
            jwt.Events = new JwtBearerEvents { OnMessageReceived = TokenOfRequest };
        });

        // Authentication brings data protection, whose hosted service makes and stores a key ring on start
        // (and warns that it is unencrypted) though nothing here protects data with it: bearer tokens are
        // signed with our own key. Without the service the ring is only made if something ever asks.
        var keyRing = builder.Services.FirstOrDefault(service => service.ServiceType == typeof(IHostedService)
            && service.ImplementationType?.FullName == "Microsoft.AspNetCore.DataProtection.Internal.DataProtectionHostedService");
        if (keyRing is not null)
        {
            builder.Services.Remove(keyRing);
        }

        // A signed-in administrator may use the admin screen from anywhere (the loopback rule applies only without any).
        builder.Services.AddSingleton<IAuthorizationHandler, AccountAdministratorHandler>();

        builder.Services.AddRateLimiter(limiter =>
        {
            limiter.OnRejected = AccountApi.OnRejectedAsync;
            limiter.AddPolicy(AccountApi.SignInPolicy, context => AccountApi.PerAddress(context, limits => limits.SignInsPerAddress));
            limiter.AddPolicy(AccountApi.SignUpPolicy, context => AccountApi.PerAddress(context, limits => limits.SignUpsPerAddress));
        });
        return builder;
    }

    /// <summary>
    /// <c>POST /api/accounts</c> and <c>POST /api/sessions</c>, rate-limited per client address (and
    /// per username: wrong passwords, sign-up attempts), answering only the server's own pages (a cross-site form cannot
    /// create accounts or try passwords).
    /// </summary>
    public static WebApplication MapChatAccounts(this WebApplication app)
    {
        app.UseRateLimiter();
        app.MapPost(ChatEndpoints.AccountsPath, AccountApi.SignUpAsync).AddEndpointFilter<SameOriginFilter>().RequireRateLimiting(AccountApi.SignUpPolicy);
        app.MapPost(ChatEndpoints.SessionsPath, AccountApi.SignInAsync).AddEndpointFilter<SameOriginFilter>().RequireRateLimiting(AccountApi.SignInPolicy);
        return app;
    }

    /// <summary>
    /// Where the JwtBearer scheme finds a token: <c>?access_token=</c> on the hub path (browsers cannot
    /// set headers on a WebSocket), else an <c>Authorization: Bearer</c> value that is a JWT. A guest's
    /// bearer client key is not a token and is left alone, instead of failing as one.
    /// </summary>
    private static Task TokenOfRequest(MessageReceivedContext context)
    {
        var request = context.Request;
        var query = request.Path.StartsWithSegments(ChatEndpoints.HubPath) ? request.Query[ChatEndpoints.AccessTokenParameter].ToString() : null;
        if (ConnectionRequest.From(null, null, query, request.Headers.Authorization.ToString()).AccessToken is { } token)
        {
            context.Token = token;
        }
        else
        {
            context.NoResult();
        }

        return Task.CompletedTask;
    }
}
