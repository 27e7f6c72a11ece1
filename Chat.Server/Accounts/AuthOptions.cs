using System.ComponentModel.DataAnnotations;
using Chat.Server.Rooms;

namespace Chat.Server.Accounts;

/// <summary>Configuration section <c>Chat:Auth</c>: accounts, access tokens, guests and server administrators.</summary>
public sealed class AuthOptions
{
    public const string SectionName = "Chat:Auth";

    /// <summary>
    /// The key access tokens are signed with (at least 32 characters). With none, the server makes one and
    /// keeps it beside the SQLite file, so restarts keep tokens valid; a cluster shares one by configuration.
    /// </summary>
    public string? SigningKey { get; set; }

    /// <summary>How long an access token is accepted after sign-in.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "365.00:00:00")]
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Whether people may chat without an account. Guests can never hold a registered name.</summary>
    public bool AllowGuests { get; set; } = true;

    /// <summary>Usernames of the server's administrators: they act as operators in every room and may use the admin screen.</summary>
    public string[] Admins { get; set; } = [];

    /// <summary>Whether the username is one of <see cref="Admins"/> (compared as nicknames are: case and look-alike letters do not matter).</summary>
    public bool IsAdministrator(string? username) =>
        username is not null && Admins.Any(admin => Nickname.TryNormalize(admin, out var name) && Nickname.Key(name) == Nickname.Key(username));
}
