namespace Chat.Protocol;

/// <summary>Where the hub lives and what its URL may carry.</summary>
public static class ChatEndpoints
{
    public const string HubPath = "/hubs/chat";

    /// <summary>Query parameter: the nickname asked for when connecting.</summary>
    public const string NameParameter = "name";

    /// <summary>
    /// Query parameter: a client-held secret; connections with the same key are one user. Clients that can
    /// set headers send it as <c>Authorization: Bearer KEY</c> instead, which keeps it out of URLs.
    /// </summary>
    public const string KeyParameter = "key";

    /// <summary>
    /// Query parameter: the access token from <see cref="SessionsPath"/> (browsers cannot set headers on a
    /// WebSocket; the official clients put the token here). Clients that can set headers send
    /// <c>Authorization: Bearer TOKEN</c>.
    /// </summary>
    public const string AccessTokenParameter = "access_token";

    /// <summary><c>POST</c> <see cref="AccountRequest"/>: creates an account (201 <see cref="AccountCreated"/>, 400, 409, 429).</summary>
    public const string AccountsPath = "/api/accounts";

    /// <summary><c>POST</c> <see cref="AccountRequest"/>: signs in (200 <see cref="SessionCreated"/>, 401, 429).</summary>
    public const string SessionsPath = "/api/sessions";

    /// <summary>The most messages one <c>History</c> or <c>MissedSince</c> call returns.</summary>
    public const int MaxPageSize = 200;

    /// <summary>How many of the latest messages <c>Join</c> returns.</summary>
    public const int JoinHistorySize = 50;
}
