using Chat.Server.History;
using Npgsql;

namespace Chat.Server.Accounts;

/// <summary>
/// Accounts in the PostgreSQL database the cluster's history lives in, so every node sees a name the
/// moment it is registered. The generated signing key is kept there too (<c>chat_signing_key</c>): every
/// node that shares the database signs and accepts the same tokens without configuring one.
/// </summary>
/// <param name="dataSource">The pool shared with the room registrations (<see cref="HistoryServiceExtensions.SharedDataSource"/>); its owner disposes it.</param>
public sealed class PostgresAccountStore([FromKeyedServices(HistoryServiceExtensions.SharedDataSource)] NpgsqlDataSource dataSource) : IAccountStore
{
    /// <summary>Serializes the accounts' schema upgrades of nodes starting together (not the history's key).</summary>
    private const long SchemaLockKey = 0x4163_636f_756e_7473;

    /// <summary>Each entry upgrades the accounts' schema by one version; a database at version N runs entries N onwards.</summary>
    private static readonly string[] Migrations =
    [
        """
        CREATE TABLE accounts (
            name_key text PRIMARY KEY,
            username text NOT NULL,
            password_hash text NOT NULL,
            created_at timestamptz NOT NULL
        );
        CREATE TABLE chat_signing_key (
            id integer PRIMARY KEY CHECK (id = 1),
            key bytea NOT NULL
        );
        """,
    ];

    public async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await ExecuteAsync(connection, $"SELECT pg_advisory_xact_lock({SchemaLockKey});", cancellationToken);
        await ExecuteAsync(connection, "CREATE TABLE IF NOT EXISTS account_schema_version (version integer NOT NULL);", cancellationToken);
        await using var versionQuery = new NpgsqlCommand("SELECT COALESCE(MAX(version), 0) FROM account_schema_version;", connection);
        var version = Convert.ToInt32(await versionQuery.ExecuteScalarAsync(cancellationToken));
        if (version > Migrations.Length)
        {
            throw new InvalidOperationException($"The accounts have schema version {version}; this server knows up to {Migrations.Length}.");
        }

        for (var next = version; next < Migrations.Length; next++)
        {
            await ExecuteAsync(connection, Migrations[next], cancellationToken);
        }

        if (version < Migrations.Length)
        {
            await ExecuteAsync(connection, $"DELETE FROM account_schema_version; INSERT INTO account_schema_version VALUES ({Migrations.Length});", cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    public async Task<bool> CreateAsync(StoredAccount account, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            "INSERT INTO accounts (name_key, username, password_hash, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT (name_key) DO NOTHING;");
        command.Parameters.AddWithValue(account.NameKey);
        command.Parameters.AddWithValue(account.Username);
        command.Parameters.AddWithValue(account.PasswordHash);
        command.Parameters.AddWithValue(account.CreatedAt);
        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task<StoredAccount?> FindAsync(string nameKey, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("SELECT username, password_hash, created_at FROM accounts WHERE name_key = $1;");
        command.Parameters.AddWithValue(nameKey);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new StoredAccount(reader.GetString(0), nameKey, reader.GetString(1), reader.GetFieldValue<DateTimeOffset>(2))
            : null;
    }

    public async Task<bool> ExistsAsync(string nameKey, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("SELECT 1 FROM accounts WHERE name_key = $1;");
        command.Parameters.AddWithValue(nameKey);
        return await command.ExecuteScalarAsync(cancellationToken) is not null;
    }

    public async Task UpdatePasswordHashAsync(string nameKey, string passwordHash, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("UPDATE accounts SET password_hash = $2 WHERE name_key = $1;");
        command.Parameters.AddWithValue(nameKey);
        command.Parameters.AddWithValue(passwordHash);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<byte[]> GetOrAddSigningKeyAsync(byte[] candidate, CancellationToken cancellationToken = default)
    {
        // The first node to start stores its key; every later one reads that one. A node racing the
        // first waits for its insert, whose row the statement's own snapshot may not show: it asks again.
        while (true)
        {
            await using var command = dataSource.CreateCommand("""
                WITH inserted AS (INSERT INTO chat_signing_key (id, key) VALUES (1, $1) ON CONFLICT (id) DO NOTHING RETURNING key)
                SELECT key FROM inserted UNION ALL SELECT key FROM chat_signing_key WHERE id = 1 LIMIT 1;
                """);
            command.Parameters.AddWithValue(candidate);
            if (await command.ExecuteScalarAsync(cancellationToken) is byte[] key)
            {
                return key;
            }
        }
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
