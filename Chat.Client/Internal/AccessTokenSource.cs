using System.Net.WebSockets;
using Microsoft.Extensions.Logging;

namespace Chat.Client.Internal;

/// <summary>
/// What a <see cref="ReconnectingConnection"/> presents as its access token, and what it makes of the
/// server refusing it. A guest presents its key, always the same. A signed-in client presents a token from
/// <see cref="SessionTokens"/> (which signs in, and again before the token runs out) and asks for no
/// nickname: the server takes the username from the token.
/// </summary>
/// <remarks>
/// A server that refuses a token that was not fresh (an expired one, or one signed by a key the server no
/// longer has) gets one more connection with a token signed in for just now before the refusal counts;
/// a token signed in for the connection that was refused is not the problem, so that refusal ends it.
/// Neither the key, the token nor the password reaches a log line: only the username does.
/// </remarks>
internal sealed class AccessTokenSource : IDisposable
{
    private readonly ILogger _logger;
    private readonly string _guestKey;
    private readonly SessionTokens? _session;

    // Whether the current connection started on a token signed in for it (so a refusal is not the token's age).
    private volatile bool _fresh;

    public AccessTokenSource(ChatClientOptions options, ILogger logger)
    {
        _logger = logger;
        _guestKey = options.UserKey;
        if (options.Credentials is { } credentials)
        {
            _session = new SessionTokens(options.Server, credentials, logger, TimeProvider.System);
        }
    }

    /// <summary>True with credentials: the connection carries a token, and the hub URL asks for no nickname.</summary>
    public bool SignsIn => _session is not null;

    /// <summary>When the access token in hand expires; null for a guest.</summary>
    public DateTimeOffset? ExpiresAt => _session?.ExpiresAt;

    /// <summary>
    /// The connection's <c>AccessTokenProvider</c>. Long polling asks again for each request, so a
    /// long-lived connection renews its token here too.
    /// </summary>
    public async Task<string?> GetAsync(CancellationToken cancellationToken) =>
        _session is { } session ? await session.GetAsync(cancellationToken) : _guestKey;

    /// <summary>
    /// Before each start: renews the token if it has expired or is about to, and notes whether the
    /// connection starts on a token signed in for it. Throws <see cref="ChatConnectionException"/> with the
    /// server's sentence (wrong pair, throttled) or unreachable. Nothing to do for a guest.
    /// </summary>
    public async Task PrepareAsync(CancellationToken cancellationToken)
    {
        if (_session is not null)
        {
            _fresh = await _session.PrepareAsync(cancellationToken);
        }
    }

    /// <summary>
    /// The hub refused a signed-in connection: true when that may have been the token's fault (it was not
    /// signed in for the connection), so the token is dropped and the next connection signs in again.
    /// </summary>
    public bool RenewAfterRefusal()
    {
        if (_session is null || _fresh)
        {
            return false;
        }

        ChatClientLog.TokenRefused(_logger, _session.Username);
        _session.Discard();
        return true;
    }

    /// <summary>A start failed: if the server's authentication refused the token, the next start signs in again.</summary>
    public void StartFailed(Exception exception)
    {
        if (IsUnauthorized(exception))
        {
            _session?.Discard();
        }
    }

    /// <summary>Signing in again failed for good during a reconnect (the refusal's sentence never holds the password).</summary>
    public void SignInFailed(ChatConnectionException exception)
    {
        if (_session is not null)
        {
            ChatClientLog.SignInFailed(_logger, _session.Username, exception.Message);
        }
    }

    public void Dispose() => _session?.Dispose();

    /// <summary>An HTTP 401 on negotiate or the WebSocket upgrade: the server's authentication refused the token.</summary>
    public static bool IsUnauthorized(Exception exception)
    {
        for (var current = exception; current is not null; current = current.InnerException)
        {
            if (current is HttpRequestException { StatusCode: System.Net.HttpStatusCode.Unauthorized }
                || (current is WebSocketException && current.Message.Contains("'401'", StringComparison.Ordinal)))
            {
                return true;
            }
        }

        return false;
    }
}
