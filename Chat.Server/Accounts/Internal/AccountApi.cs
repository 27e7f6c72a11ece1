using System.Globalization;
using System.Text.Json;
using System.Threading.RateLimiting;
using Chat.Protocol;
using Chat.Server.Rooms;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.RateLimiting;

namespace Chat.Server.Accounts.Internal;

/// <summary>The handlers of <c>/api/accounts</c> and <c>/api/sessions</c>; every refusal is an <see cref="ApiError"/> sentence.</summary>
internal static class AccountApi
{
    public const string SignInPolicy = "sign-in";

    public const string SignUpPolicy = "sign-up";

    public const string BadBodySentence = "Send a JSON body with a username and a password.";

    /// <summary>An account request is two short strings; anything much longer is not one.</summary>
    private const long MaxBodyBytes = 4096;

    // POST /api/accounts
    public static async Task<IResult> SignUpAsync(
        HttpContext context, AccountDirectory accounts, UsernameThrottle throttle, ILogger<AccountDirectory> logger, CancellationToken cancellationToken)
    {
        if (await ReadAsync(context.Request, cancellationToken) is not { } request)
        {
            return Error(StatusCodes.Status400BadRequest, BadBodySentence);
        }

        if (AccountDirectory.Check(request.Username, request.Password, out var username) is { } rule)
        {
            return Error(StatusCodes.Status400BadRequest, rule);
        }

        if (throttle.IsSignUpPaused(Nickname.Key(username), out var retryAfter))
        {
            logger.Throttled(SignUpPolicy, AddressOf(context), retryAfter.TotalSeconds);
            return TooMany(context, retryAfter);
        }

        return await accounts.RegisterAsync(username, request.Password, cancellationToken) is { } registered
            ? TypedResults.Created((string?)null, new AccountCreated(registered))
            : Error(StatusCodes.Status409Conflict, AccountDirectory.TakenSentence(username));
    }

    // POST /api/sessions
    public static async Task<IResult> SignInAsync(
        HttpContext context, AccountDirectory accounts, UsernameThrottle throttle, ILogger<AccountDirectory> logger, CancellationToken cancellationToken)
    {
        if (await ReadAsync(context.Request, cancellationToken) is not { } request)
        {
            return Error(StatusCodes.Status400BadRequest, BadBodySentence);
        }

        var address = AddressOf(context);
        var nameKey = Nickname.TryNormalize(request.Username, out var username) ? Nickname.Key(username) : null;
        if (nameKey is not null && throttle.IsSignInPaused(nameKey, out var retryAfter))
        {
            logger.Throttled(SignInPolicy, address, retryAfter.TotalSeconds);
            return TooMany(context, retryAfter);
        }

        if (await accounts.SignInAsync(request.Username, request.Password, cancellationToken) is not { } session)
        {
            if (nameKey is not null)
            {
                throttle.RecordFailedSignIn(nameKey);
            }

            logger.SignInRefused(nameKey is null ? "(invalid name)" : username, address);
            return Error(StatusCodes.Status401Unauthorized, AccountDirectory.WrongPairSentence);
        }

        logger.SignedIn(username, address);
        return TypedResults.Ok(session);
    }

    /// <summary>The address the rate limits count by: the client's, as this server sees it.</summary>
    public static string AddressOf(HttpContext context) => context.Connection.RemoteIpAddress?.ToString() ?? "unknown";

    /// <summary>The middleware's per-address limiter for a policy (sign-in or sign-up).</summary>
    public static RateLimitPartition<string> PerAddress(HttpContext context, Func<AuthRateLimitOptions, int> permits)
    {
        var limits = context.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<AuthOptions>>().Value.RateLimit;
        return RateLimitPartition.GetFixedWindowLimiter(AddressOf(context), _ => new FixedWindowRateLimiterOptions
        {
            PermitLimit = permits(limits),
            Window = limits.Window,
            QueueLimit = 0,
            AutoReplenishment = true,
        });
    }

    /// <summary>The rate limiting middleware's refusal: 429, <c>Retry-After</c> and a sentence.</summary>
    public static async ValueTask OnRejectedAsync(OnRejectedContext rejected, CancellationToken cancellationToken)
    {
        var context = rejected.HttpContext;
        var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait)
            ? wait
            : context.RequestServices.GetRequiredService<Microsoft.Extensions.Options.IOptions<AuthOptions>>().Value.RateLimit.Window;
        context.RequestServices.GetRequiredService<ILogger<AccountDirectory>>()
            .Throttled(context.Request.Path.ToString(), AddressOf(context), retryAfter.TotalSeconds);
        await TooMany(context, retryAfter).ExecuteAsync(context);
    }

    private static IResult TooMany(HttpContext context, TimeSpan retryAfter)
    {
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        return Error(StatusCodes.Status429TooManyRequests, $"Too many attempts. Try again in {seconds} seconds.");
    }

    private static IResult Error(int status, string sentence) => TypedResults.Json(new ApiError(sentence), statusCode: status);

    /// <summary>The request's JSON body, or null when there is none that reads as an account request.</summary>
    private static async Task<AccountRequest?> ReadAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (!request.HasJsonContentType() || request.ContentLength > MaxBodyBytes)
        {
            return null;
        }

        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = MaxBodyBytes;
        }

        try
        {
            return await request.ReadFromJsonAsync<AccountRequest>(cancellationToken) is { Username: not null, Password: not null } body ? body : null;
        }
        catch (Exception ex) when (ex is JsonException or BadHttpRequestException or InvalidOperationException)
        {
            return null;
        }
    }
}
