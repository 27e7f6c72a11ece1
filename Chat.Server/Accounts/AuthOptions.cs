using System.ComponentModel.DataAnnotations;
using Chat.Server.Rooms;

namespace Chat.Server.Accounts;

/// <summary>Configuration section <c>Chat:Auth</c>: accounts, access tokens, guests and server administrators.</summary>
public sealed class AuthOptions : IValidatableObject
{
    public const string SectionName = "Chat:Auth";

    public const int MinSigningKeyLength = 32;

    /// <summary>
    /// The key access tokens are signed with (at least 32 characters). With none, the server makes one and
    /// keeps it beside the SQLite file, or in the PostgreSQL database every node shares, so restarts keep
    /// tokens valid; a cluster on SQLite files would need one shared by configuration.
    /// </summary>
    public string? SigningKey { get; set; }

    /// <summary>How long an access token is accepted after sign-in.</summary>
    [Range(typeof(TimeSpan), "00:00:01", "365.00:00:00")]
    public TimeSpan TokenLifetime { get; set; } = TimeSpan.FromDays(7);

    /// <summary>Whether people may chat without an account. Guests can never hold a registered name.</summary>
    public bool AllowGuests { get; set; } = true;

    /// <summary>Usernames of the server's administrators: they act as operators in every room and may use the admin screen.</summary>
    public string[] Admins { get; set; } = [];

    /// <summary>How often sign-in and sign-up may be tried (<c>Chat:Auth:RateLimit</c>).</summary>
    public AuthRateLimitOptions RateLimit { get; set; } = new();

    // Asked on every send of a signed-in user: the administrators' name keys are worked out once for the
    // list they came from (binding a new list replaces the array, and with it the keys). One reference,
    // swapped whole, so concurrent readers never see the keys of one list with another.
    private AdminKeys? _adminKeys;

    /// <summary>Whether the username is one of <see cref="Admins"/> (compared as nicknames are: case and look-alike letters do not matter).</summary>
    public bool IsAdministrator(string? username)
    {
        if (username is null || Admins.Length == 0)
        {
            return false;
        }

        var admins = Admins;
        var cached = _adminKeys;
        if (cached is null || !ReferenceEquals(cached.From, admins))
        {
            cached = new AdminKeys(admins, [.. admins.Select(admin => Nickname.TryNormalize(admin, out var name) ? Nickname.Key(name) : null).OfType<string>()]);
            _adminKeys = cached;
        }

        return cached.Keys.Contains(Nickname.Key(username));
    }

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (SigningKey is not null && SigningKey.Length < MinSigningKeyLength)
        {
            yield return new ValidationResult(
                $"Chat:Auth:SigningKey needs at least {MinSigningKeyLength} characters (or leave it out and the server makes one).",
                [nameof(SigningKey)]);
        }

        foreach (var admin in Admins)
        {
            if (!Nickname.TryNormalize(admin, out _))
            {
                yield return new ValidationResult($"Chat:Auth:Admins lists '{admin}', which is not a valid username. {Nickname.Rule}", [nameof(Admins)]);
            }
        }

        var results = new List<ValidationResult>();
        Validator.TryValidateObject(RateLimit, new ValidationContext(RateLimit), results, validateAllProperties: true);
        foreach (var result in results)
        {
            yield return new ValidationResult($"Chat:Auth:RateLimit: {result.ErrorMessage}", [nameof(RateLimit)]);
        }
    }

    private sealed record AdminKeys(string[] From, HashSet<string> Keys);
}
