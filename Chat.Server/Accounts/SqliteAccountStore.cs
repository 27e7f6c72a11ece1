using System.Collections.Concurrent;
using System.Security.Cryptography;
using Chat.Server.History;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace Chat.Server.Accounts;

/// <summary>
/// Accounts in the SQLite file history uses (its own tables, its own schema version), and the generated
/// signing key in a file beside it (<c>chat.db.signing-key</c>, readable by the owner only): a key in
/// the database would be copied with every backup of the history.
/// </summary>
public sealed class SqliteAccountStore : IAccountStore
{
    private const int SchemaVersion = 1;

    private const string KeyFileSuffix = ".signing-key";

    private readonly string _connectionString;

    // Every guest's nickname is checked against the registered names when it connects. One server owns a
    // SQLite file (as it owns the history's numbering), so it keeps the names in memory, loaded at start and
    // added at sign-up: the check is a lookup, not a query per connect (docs/benchmarks.md, "connect").
    private readonly ConcurrentDictionary<string, byte> _registered = new(StringComparer.Ordinal);

    public SqliteAccountStore(IOptions<HistoryOptions> options)
    {
        DatabasePath = Path.GetFullPath(options.Value.SqlitePath);
        _connectionString = HistoryOptions.SqliteConnectionString(DatabasePath);
    }

    public string DatabasePath { get; }

    public string SigningKeyPath => DatabasePath + KeyFileSuffix;

    public async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(DatabasePath)!);
        await using var connection = await OpenAsync(cancellationToken);
        await using var transaction = (SqliteTransaction)await connection.BeginTransactionAsync(cancellationToken);
        await ExecuteAsync(connection, "CREATE TABLE IF NOT EXISTS account_schema_version (version INTEGER NOT NULL);", cancellationToken);
        await using var query = new SqliteCommand("SELECT COALESCE(MAX(version), 0) FROM account_schema_version;", connection, transaction);
        var version = Convert.ToInt32(await query.ExecuteScalarAsync(cancellationToken));
        if (version > SchemaVersion)
        {
            throw new InvalidOperationException($"The accounts in {DatabasePath} have schema version {version}; this server knows up to {SchemaVersion}.");
        }

        if (version < 1)
        {
            await ExecuteAsync(connection, """
                CREATE TABLE accounts (
                    name_key TEXT PRIMARY KEY,
                    username TEXT NOT NULL,
                    password_hash TEXT NOT NULL,
                    created_at INTEGER NOT NULL
                ) WITHOUT ROWID;
                DELETE FROM account_schema_version;
                INSERT INTO account_schema_version VALUES (1);
                """, cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);

        await using var names = new SqliteCommand("SELECT name_key FROM accounts;", connection);
        await using var reader = await names.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            _registered.TryAdd(reader.GetString(0), 0);
        }
    }

    public async Task<bool> CreateAsync(StoredAccount account, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = new SqliteCommand(
            "INSERT INTO accounts (name_key, username, password_hash, created_at) VALUES ($key, $username, $hash, $created) ON CONFLICT (name_key) DO NOTHING;",
            connection);
        command.Parameters.AddWithValue("$key", account.NameKey);
        command.Parameters.AddWithValue("$username", account.Username);
        command.Parameters.AddWithValue("$hash", account.PasswordHash);
        command.Parameters.AddWithValue("$created", account.CreatedAt.ToUnixTimeMilliseconds());
        var created = await command.ExecuteNonQueryAsync(cancellationToken) == 1;
        _registered.TryAdd(account.NameKey, 0);
        return created;
    }

    public async Task<StoredAccount?> FindAsync(string nameKey, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = new SqliteCommand("SELECT username, password_hash, created_at FROM accounts WHERE name_key = $key;", connection);
        command.Parameters.AddWithValue("$key", nameKey);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new StoredAccount(reader.GetString(0), nameKey, reader.GetString(1), DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(2)))
            : null;
    }

    public Task<bool> ExistsAsync(string nameKey, CancellationToken cancellationToken = default) =>
        Task.FromResult(_registered.ContainsKey(nameKey));

    public async Task UpdatePasswordHashAsync(string nameKey, string passwordHash, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = new SqliteCommand("UPDATE accounts SET password_hash = $hash WHERE name_key = $key;", connection);
        command.Parameters.AddWithValue("$key", nameKey);
        command.Parameters.AddWithValue("$hash", passwordHash);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <remarks>
    /// Written to a temporary file first and moved into place, so a crash never leaves half a key, and two
    /// servers started on one file at once end up with whichever key was moved first.
    /// </remarks>
    public async Task<byte[]> GetOrAddSigningKeyAsync(byte[] candidate, CancellationToken cancellationToken = default)
    {
        if (!File.Exists(SigningKeyPath))
        {
            var temporary = $"{SigningKeyPath}.{Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8))}.tmp";
            var owner = new FileStreamOptions { Mode = FileMode.CreateNew, Access = FileAccess.Write };
            if (!OperatingSystem.IsWindows())
            {
                owner.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
            }

            await using (var file = new FileStream(temporary, owner))
            {
                await file.WriteAsync(candidate, cancellationToken);
                file.Flush(flushToDisk: true);
            }

            try
            {
                File.Move(temporary, SigningKeyPath, overwrite: false);
            }
            catch (IOException) when (File.Exists(SigningKeyPath))
            {
                File.Delete(temporary);
            }
        }

        var key = await File.ReadAllBytesAsync(SigningKeyPath, cancellationToken);
        return key.Length >= 32
            ? key
            : throw new InvalidOperationException($"The signing key file {SigningKeyPath} is damaged. Delete it (every access token becomes invalid) or set Chat:Auth:SigningKey.");
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    private static async Task ExecuteAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = connection.CreateCommand();
        command.CommandText = sql;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
