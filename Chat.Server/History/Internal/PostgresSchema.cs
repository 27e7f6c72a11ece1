using Npgsql;

namespace Chat.Server.History.Internal;

/// <summary>
/// The PostgreSQL store's schema and its upgrades, apart from the store's reads and writes: every node
/// of a cluster runs <see cref="UpgradeAsync"/> when it starts, and the database remembers the version
/// it has reached in <c>chat_schema_version</c>, so a node brings it up to date once and a newer
/// database is refused rather than written with an older layout.
/// </summary>
internal static class PostgresSchema
{
    /// <summary>Serializes schema upgrades of nodes starting together (any constant both agree on).</summary>
    private const long SchemaLockKey = 0x5369_6752_4368_6174;

    /// <summary>Each entry upgrades the schema by one version; a database at version N runs entries N onwards.</summary>
    private static readonly string[] Migrations =
    [
        """
        CREATE TABLE messages (
            room text NOT NULL,
            seq bigint NOT NULL,
            id text NOT NULL,
            sender text NOT NULL,
            sender_id text NOT NULL,
            client_message_id text NOT NULL,
            text text NOT NULL,
            sent_at timestamptz NOT NULL,
            PRIMARY KEY (room, seq)
        );
        CREATE UNIQUE INDEX messages_retry ON messages (room, sender_id, client_message_id);
        CREATE TABLE room_seq (
            room text PRIMARY KEY,
            last_seq bigint NOT NULL
        );
        -- Numbers and stores a new message, or returns the first one stored for the same retry id.
        CREATE FUNCTION chat_append_message(p_room text, p_id text, p_sender text, p_sender_id text, p_client_message_id text, p_text text, p_sent_at timestamptz)
        RETURNS TABLE (out_seq bigint, out_id text, out_sender text, out_text text, out_sent_at timestamptz, out_is_new boolean)
        LANGUAGE plpgsql AS $$
        DECLARE
            next_seq bigint;
        BEGIN
            RETURN QUERY
                SELECT m.seq, m.id, m.sender, m.text, m.sent_at, false
                FROM messages m
                WHERE m.room = p_room AND m.sender_id = p_sender_id AND m.client_message_id = p_client_message_id;
            IF FOUND THEN
                RETURN;
            END IF;
            INSERT INTO room_seq AS r (room, last_seq) VALUES (p_room, 1)
                ON CONFLICT (room) DO UPDATE SET last_seq = r.last_seq + 1
                RETURNING r.last_seq INTO next_seq;
            INSERT INTO messages (room, seq, id, sender, sender_id, client_message_id, text, sent_at)
                VALUES (p_room, next_seq, p_id, p_sender, p_sender_id, p_client_message_id, p_text, p_sent_at);
            RETURN QUERY SELECT next_seq, p_id, p_sender, p_text, p_sent_at, true;
        END
        $$;
        """,
    ];

    public static int Version => Migrations.Length;

    /// <summary>
    /// Runs the migrations the database has not had, in one transaction under an advisory lock (nodes
    /// starting together upgrade one after another); returns the version the database had before.
    /// </summary>
    public static async Task<int> UpgradeAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await ExecuteAsync(connection, $"SELECT pg_advisory_xact_lock({SchemaLockKey});", cancellationToken);
        await ExecuteAsync(connection, "CREATE TABLE IF NOT EXISTS chat_schema_version (version integer NOT NULL);", cancellationToken);
        await using var versionQuery = new NpgsqlCommand("SELECT COALESCE(MAX(version), 0) FROM chat_schema_version;", connection);
        var version = Convert.ToInt32(await versionQuery.ExecuteScalarAsync(cancellationToken));
        if (version > Version)
        {
            throw new InvalidOperationException($"The database has schema version {version}; this server knows up to {Version}.");
        }

        for (var next = version; next < Version; next++)
        {
            await ExecuteAsync(connection, Migrations[next], cancellationToken);
        }

        if (version < Version)
        {
            await ExecuteAsync(connection, $"DELETE FROM chat_schema_version; INSERT INTO chat_schema_version VALUES ({Version});", cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
        return version;
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
