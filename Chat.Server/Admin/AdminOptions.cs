using System.ComponentModel.DataAnnotations;

namespace Chat.Server.Admin;

/// <summary>Configuration section <c>Chat:Admin</c>: the admin screen at <c>/admin</c>.</summary>
public sealed class AdminOptions
{
    public const string SectionName = "Chat:Admin";

    /// <summary>
    /// Off by default. It answers the signed-in administrators of <c>Chat:Auth:Admins</c> (an access
    /// token on each request); while none are named, only requests from a loopback address (the
    /// server's own machine); everyone else gets 404.
    /// </summary>
    public bool Enabled { get; set; }

    /// <summary>How many connects, disconnects, floods and stalls each node remembers for the screen.</summary>
    [Range(1, 10_000)]
    public int RecentActivityLimit { get; set; } = 200;
}
