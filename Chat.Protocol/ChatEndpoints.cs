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

    /// <summary>The most messages one <c>History</c> or <c>MissedSince</c> call returns.</summary>
    public const int MaxPageSize = 200;

    /// <summary>How many of the latest messages <c>Join</c> returns.</summary>
    public const int JoinHistorySize = 50;
}
