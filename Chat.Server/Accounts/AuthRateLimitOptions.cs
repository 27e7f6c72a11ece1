using System.ComponentModel.DataAnnotations;

namespace Chat.Server.Accounts;

/// <summary>
/// Configuration section <c>Chat:Auth:RateLimit</c>: how often one client address may try to sign in or
/// sign up, how many wrong passwords one username takes before sign-in to it pauses, and how often one
/// username may be tried at sign-up. Everything is
/// counted per node, in fixed windows of <see cref="Window"/>.
/// </summary>
public sealed class AuthRateLimitOptions
{
    /// <summary>The length of each counting window.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "1.00:00:00")]
    public TimeSpan Window { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>Sign-in attempts (right or wrong) per client address and window.</summary>
    [Range(1, 100_000)]
    public int SignInsPerAddress { get; set; } = 30;

    /// <summary>Wrong passwords per username and window, from any address; the next attempt waits for the window to end.</summary>
    [Range(1, 100_000)]
    public int FailedSignInsPerUsername { get; set; } = 5;

    /// <summary>Sign-up attempts per client address and window.</summary>
    [Range(1, 100_000)]
    public int SignUpsPerAddress { get; set; } = 20;

    /// <summary>Sign-up attempts per username and window, from any address (right or refused).</summary>
    [Range(1, 100_000)]
    public int SignUpsPerUsername { get; set; } = 5;
}
