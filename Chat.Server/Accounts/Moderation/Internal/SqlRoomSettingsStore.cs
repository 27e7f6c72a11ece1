using System.Data.Common;
using Chat.Server.History;
using Microsoft.Data.Sqlite;
using Npgsql;

namespace Chat.Server.Accounts.Moderation.Internal;

/// <summary>
/// Room registrations in the message store's database: the SQLite file of a single server or the
/// PostgreSQL database of a cluster. The two differ only in their schema and how a connection opens;
/// the statements are the same (<see cref="RoomSettingsSql"/>). Changes are rare (an operator's
/// command), so each opens a pooled connection of its own; SQLite's WAL lets them run beside the
/// message writer.
/// </summary>
internal sealed class SqlRoomSettingsStore(Func<CancellationToken, Task<DbConnection>> open, string schema, TimeProvider time) : IRoomSettingsStore
{
    // The room tables are this feature's own, created when missing, so the message store's schema
    // version and this one can change apart.
    private const string SqliteSchema = """
        CREATE TABLE IF NOT EXISTS room_registrations (
            room TEXT PRIMARY KEY,
            owner TEXT NULL,
            topic TEXT NULL,
            invite_only INTEGER NOT NULL DEFAULT 0,
            room_key TEXT NULL,
            moderated INTEGER NOT NULL DEFAULT 0,
            created_at TEXT NOT NULL
        );
        CREATE TABLE IF NOT EXISTS room_entries (
            room TEXT NOT NULL,
            list TEXT NOT NULL,
            subject TEXT NOT NULL,
            name TEXT NOT NULL,
            added INTEGER NOT NULL,
            PRIMARY KEY (room, list, subject)
        );
        """;

    // Nodes starting together create the tables one after another: CREATE TABLE IF NOT EXISTS alone
    // can still collide in PostgreSQL's catalog. The statements share one implicit transaction, which
    // holds the lock.
    private const string PostgresSchema = """
        SELECT pg_advisory_xact_lock(5897238457102938);
        CREATE TABLE IF NOT EXISTS room_registrations (
            room text PRIMARY KEY,
            owner text NULL,
            topic text NULL,
            invite_only boolean NOT NULL DEFAULT false,
            room_key text NULL,
            moderated boolean NOT NULL DEFAULT false,
            created_at timestamptz NOT NULL
        );
        CREATE TABLE IF NOT EXISTS room_entries (
            room text NOT NULL REFERENCES room_registrations (room) ON DELETE CASCADE,
            list text NOT NULL,
            subject text NOT NULL,
            name text NOT NULL,
            added bigint NOT NULL,
            PRIMARY KEY (room, list, subject)
        );
        """;

    public static SqlRoomSettingsStore ForSqlite(HistoryOptions options, TimeProvider time)
    {
        var path = Path.GetFullPath(options.SqlitePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var connectionString = HistoryOptions.SqliteConnectionString(path);
        return new SqlRoomSettingsStore(async cancellationToken =>
        {
            var connection = new SqliteConnection(connectionString);
            await connection.OpenAsync(cancellationToken);
            return connection;
        }, SqliteSchema, time);
    }

    /// <summary>Over <paramref name="dataSource"/>, which the caller disposes.</summary>
    public static SqlRoomSettingsStore ForPostgres(NpgsqlDataSource dataSource, TimeProvider time) =>
        new(async cancellationToken => await dataSource.OpenConnectionAsync(cancellationToken), PostgresSchema, time);

    public async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await open(cancellationToken);
        await using var command = connection.CreateCommand();
        command.CommandText = schema;
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<RoomRegistration>> LoadAllAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await open(cancellationToken);
        return await RoomSettingsSql.LoadAsync(connection, room: null, cancellationToken);
    }

    public async Task<RoomRegistration?> LoadAsync(string room, CancellationToken cancellationToken = default)
    {
        await using var connection = await open(cancellationToken);
        return (await RoomSettingsSql.LoadAsync(connection, room, cancellationToken)).SingleOrDefault();
    }

    public async Task<bool> RegisterAsync(string room, string? owner, DateTimeOffset createdAt, CancellationToken cancellationToken = default)
    {
        await using var connection = await open(cancellationToken);
        return await RoomSettingsSql.RegisterAsync(connection, room, owner, createdAt, cancellationToken);
    }

    public Task SetTopicAsync(string room, string? topic, CancellationToken cancellationToken = default) => SetAsync(room, "topic", topic, cancellationToken);

    public Task SetInviteOnlyAsync(string room, bool inviteOnly, CancellationToken cancellationToken = default) => SetAsync(room, "invite_only", inviteOnly, cancellationToken);

    public Task SetKeyAsync(string room, string? key, CancellationToken cancellationToken = default) => SetAsync(room, "room_key", key, cancellationToken);

    public Task SetModeratedAsync(string room, bool moderated, CancellationToken cancellationToken = default) => SetAsync(room, "moderated", moderated, cancellationToken);

    public async Task AddEntryAsync(string room, RoomEntry entry, CancellationToken cancellationToken = default)
    {
        await using var connection = await open(cancellationToken);
        await RoomSettingsSql.AddEntryAsync(connection, room, entry, time.GetUtcNow(), cancellationToken);
    }

    public async Task<int> RemoveEntriesAsync(string room, RoomList list, IReadOnlyCollection<string> subjects, CancellationToken cancellationToken = default)
    {
        await using var connection = await open(cancellationToken);
        return await RoomSettingsSql.RemoveEntriesAsync(connection, room, list, subjects, cancellationToken);
    }

    private async Task SetAsync(string room, string column, object? value, CancellationToken cancellationToken)
    {
        await using var connection = await open(cancellationToken);
        await RoomSettingsSql.SetAsync(connection, room, column, value, cancellationToken);
    }
}
