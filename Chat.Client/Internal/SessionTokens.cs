using Microsoft.Extensions.Logging;

namespace Chat.Client.Internal;

/// <summary>
/// The access token of a signed-in <see cref="ChatClient"/>: signs in when there is none, or when the one it
/// has is expired or about to be, and hands the same token to every connection while it is good. One
/// sign-in at a time; the token and the password never reach a log line.
/// </summary>
internal sealed class SessionTokens(Uri server, ChatCredentials credentials, ILogger logger, TimeProvider time) : IDisposable
{
    private static readonly TimeSpan MaxRenewalMargin = TimeSpan.FromMinutes(1);

    private readonly HttpClient _http = AccountsApi.NewHttpClient();
    private readonly SemaphoreSlim _gate = new(1, 1);
    private Session? _session;

    public string Username => credentials.Username;

    /// <summary>When the token in hand stops being accepted; null before the first sign-in or after <see cref="Discard"/>.</summary>
    public DateTimeOffset? ExpiresAt => Volatile.Read(ref _session)?.ExpiresAt;

    /// <summary>A token good for a while yet, signing in for it if need be.</summary>
    public async Task<string> GetAsync(CancellationToken cancellationToken) => (await EnsureAsync(cancellationToken)).Token;

    /// <summary>Makes sure a good token is in hand before a connection starts; true when it took a sign-in just now.</summary>
    public async Task<bool> PrepareAsync(CancellationToken cancellationToken) => (await EnsureAsync(cancellationToken)).Fresh;

    /// <summary>The server refused the token in hand (expired, or signed by another key): the next connection signs in again.</summary>
    public void Discard() => Volatile.Write(ref _session, null);

    public void Dispose()
    {
        _http.Dispose();
        _gate.Dispose();
    }

    private async Task<(string Token, bool Fresh)> EnsureAsync(CancellationToken cancellationToken)
    {
        if (Usable(Volatile.Read(ref _session)) is { } current)
        {
            return (current.Token, false);
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            // Another caller may have signed in while this one waited.
            if (Usable(Volatile.Read(ref _session)) is { } renewed)
            {
                return (renewed.Token, false);
            }

            var obtainedAt = time.GetUtcNow();
            var created = await AccountsApi.SignInAsync(_http, server, credentials, cancellationToken);
            Volatile.Write(ref _session, new Session(created.AccessToken, obtainedAt, created.ExpiresAt));
            ChatClientLog.SignedIn(logger, credentials.Username, created.ExpiresAt);
            return (created.AccessToken, true);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>
    /// The session if its token will still be accepted for a while: a connection starting on a token
    /// that expires during its handshake would be refused, so a token is renewed a tenth of its lifetime
    /// (at most a minute) before it runs out.
    /// </summary>
    private Session? Usable(Session? session)
    {
        if (session is null)
        {
            return null;
        }

        var lifetime = session.ExpiresAt - session.ObtainedAt;
        var margin = lifetime <= TimeSpan.Zero ? TimeSpan.Zero : TimeSpan.FromTicks(Math.Min(MaxRenewalMargin.Ticks, lifetime.Ticks / 10));
        return time.GetUtcNow() < session.ExpiresAt - margin ? session : null;
    }

    /// <summary>A class, not a record: a record's ToString would print the token.</summary>
    private sealed class Session(string token, DateTimeOffset obtainedAt, DateTimeOffset expiresAt)
    {
        public string Token => token;

        public DateTimeOffset ObtainedAt => obtainedAt;

        public DateTimeOffset ExpiresAt => expiresAt;
    }
}
