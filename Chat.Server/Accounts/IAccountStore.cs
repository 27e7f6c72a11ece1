namespace Chat.Server.Accounts;

/// <summary>
/// Where accounts live: the message store's database (the SQLite file, or the PostgreSQL database a
/// cluster shares), so a name registered on one node is registered on every node at once. Names are
/// looked up by <see cref="Rooms.Nickname.Key"/>, the form in which two nicknames collide.
/// </summary>
public interface IAccountStore
{
    /// <summary>Creates or upgrades the accounts' tables; runs once when the server starts.</summary>
    Task InitializeAsync(CancellationToken cancellationToken = default);

    /// <summary>Adds the account; false when an account with the same name key exists already.</summary>
    Task<bool> CreateAsync(StoredAccount account, CancellationToken cancellationToken = default);

    Task<StoredAccount?> FindAsync(string nameKey, CancellationToken cancellationToken = default);

    /// <summary>Whether some account holds this name key: what a guest's nickname is checked against.</summary>
    Task<bool> ExistsAsync(string nameKey, CancellationToken cancellationToken = default);

    /// <summary>Replaces the stored hash (after the hasher asked for a rehash).</summary>
    Task UpdatePasswordHashAsync(string nameKey, string passwordHash, CancellationToken cancellationToken = default);

    /// <summary>
    /// The token signing key kept with this database: the one stored already, or <paramref name="candidate"/>
    /// once stored. Every node sharing the database gets the same key.
    /// </summary>
    Task<byte[]> GetOrAddSigningKeyAsync(byte[] candidate, CancellationToken cancellationToken = default);
}
