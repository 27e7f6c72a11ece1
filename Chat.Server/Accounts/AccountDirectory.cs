using Chat.Protocol;
using Chat.Server.Rooms;
using Microsoft.AspNetCore.Identity;

namespace Chat.Server.Accounts;

/// <summary>
/// Sign-up and sign-in: usernames follow the nickname rules and collide as nicknames do
/// (<see cref="Nickname.Key"/>); passwords are hashed with ASP.NET Core Identity's
/// <see cref="PasswordHasher{TUser}"/> and rehashed when it asks.
/// </summary>
public sealed class AccountDirectory(IAccountStore store, AccessTokens tokens, TimeProvider time, ILogger<AccountDirectory> logger)
{
    public const int MinPasswordLength = 10;

    public const int MaxPasswordLength = 200;

    public const string WrongPairSentence = "That username and password do not match an account.";

    public const string ShortPasswordSentence = "A password needs at least 10 characters.";

    public const string LongPasswordSentence = "A password may have at most 200 characters.";

    private readonly PasswordHasher<StoredAccount> _hasher = new();

    // Unknown usernames are checked against this, so a wrong name takes as long as a wrong password.
    private readonly Lazy<string> _decoyHash = new(() => new PasswordHasher<StoredAccount>().HashPassword(null!, Guid.NewGuid().ToString("N")));

    public static string TakenSentence(string username) => $"The username {username} is already registered. Choose another one.";

    /// <summary>The sentence for a username or password that breaks a rule, or null; <paramref name="username"/> is the normalized name.</summary>
    public static string? Check(string? requestedName, string? password, out string username)
    {
        if (!Nickname.TryNormalize(requestedName, out username))
        {
            return Nickname.Rule;
        }

        return (password?.Length ?? 0) switch
        {
            < MinPasswordLength => ShortPasswordSentence,
            > MaxPasswordLength => LongPasswordSentence,
            _ => null,
        };
    }

    /// <summary>Registers the account: its username, or null when the name (as nicknames collide) is taken.</summary>
    public async Task<string?> RegisterAsync(string username, string password, CancellationToken cancellationToken = default)
    {
        var account = new StoredAccount(username, Nickname.Key(username), string.Empty, time.GetUtcNow());
        account = account with { PasswordHash = _hasher.HashPassword(account, password) };
        if (!await store.CreateAsync(account, cancellationToken))
        {
            return null;
        }

        logger.Registered(username);
        return username;
    }

    /// <summary>A session for the right pair; null for any wrong one (unknown name or wrong password alike).</summary>
    public async Task<SessionCreated?> SignInAsync(string? requestedName, string? password, CancellationToken cancellationToken = default)
    {
        password ??= string.Empty;
        var account = Nickname.TryNormalize(requestedName, out var username) && password.Length <= MaxPasswordLength
            ? await store.FindAsync(Nickname.Key(username), cancellationToken)
            : null;
        if (account is null)
        {
            _hasher.VerifyHashedPassword(null!, _decoyHash.Value, password);
            return null;
        }

        switch (_hasher.VerifyHashedPassword(account, account.PasswordHash, password))
        {
            case PasswordVerificationResult.Failed:
                return null;
            case PasswordVerificationResult.SuccessRehashNeeded:
                await store.UpdatePasswordHashAsync(account.NameKey, _hasher.HashPassword(account, password), cancellationToken);
                logger.Rehashed(account.Username);
                break;
        }

        return tokens.Issue(account.Username);
    }

    /// <summary>Whether an account holds this nickname (as nicknames collide).</summary>
    public Task<bool> IsRegisteredAsync(string nickname, CancellationToken cancellationToken = default) =>
        store.ExistsAsync(Nickname.Key(nickname), cancellationToken);
}
