using System.Threading.Channels;
using Chat.Protocol;
using Chat.Server.Hosting;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Options;

namespace Chat.Server.History;

/// <summary>
/// The embedded store: one SQLite file in WAL mode. Appends queue to a single writer that commits them
/// in batches (one fsync for many messages) and completes each append after its commit. Reads use their
/// own pooled connections, which WAL lets run beside the writer.
/// </summary>
public sealed partial class SqliteMessageStore : IMessageStore, IAsyncDisposable
{
    private const int SchemaVersion = 1;

    private const string Columns = "room, seq, id, sender, sender_id, client_message_id, text, sent_at";

    private readonly Channel<PendingAppend> _appends = Channel.CreateUnbounded<PendingAppend>(new UnboundedChannelOptions { SingleReader = true });
    private readonly string _connectionString;
    private readonly int _maxBatchSize;
    private readonly ILogger<SqliteMessageStore> _logger;
    private readonly ChatMetrics? _metrics;
    private Task? _writer;

    /// <param name="metrics">Where each committed batch is measured; none when the store is used on its own (the bench's store scenario).</param>
    public SqliteMessageStore(IOptions<HistoryOptions> options, ILogger<SqliteMessageStore> logger, ChatMetrics? metrics = null)
    {
        _metrics = metrics;
        var path = Path.GetFullPath(options.Value.SqlitePath);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        _connectionString = HistoryOptions.SqliteConnectionString(path);
        _maxBatchSize = options.Value.MaxBatchSize;
        _logger = logger;
        DatabasePath = path;
    }

    public string DatabasePath { get; }

    public async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        if (_writer is not null)
        {
            return;
        }

        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        await ExecuteAsync(connection, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;", cancellationToken);

        await using var versionQuery = new SqliteCommand("PRAGMA user_version;", connection);
        var version = Convert.ToInt32(await versionQuery.ExecuteScalarAsync(cancellationToken));
        if (version > SchemaVersion)
        {
            throw new InvalidOperationException($"The database {DatabasePath} has schema version {version}; this server knows up to {SchemaVersion}.");
        }

        if (version < 1)
        {
            await ExecuteAsync(connection, """
                CREATE TABLE IF NOT EXISTS messages (
                    room TEXT NOT NULL,
                    seq INTEGER NOT NULL,
                    id TEXT NOT NULL,
                    sender TEXT NOT NULL,
                    sender_id TEXT NOT NULL,
                    client_message_id TEXT NOT NULL,
                    text TEXT NOT NULL,
                    sent_at INTEGER NOT NULL,
                    PRIMARY KEY (room, seq)
                ) WITHOUT ROWID;
                PRAGMA user_version = 1;
                """, cancellationToken);
        }

        Log.StoreOpened(_logger, DatabasePath);
        _writer = Task.Run(() => WriteLoopAsync(connection), CancellationToken.None);
    }

    public Task AppendAsync(StoredMessage message, CancellationToken cancellationToken = default) =>
        Enqueue(new PendingAppend(message));

    /// <remarks>
    /// Once the store is shut down (the host disposes it, possibly while another stop is still flushing),
    /// a flush waits for the writer to finish what it accepted instead of failing.
    /// </remarks>
    public Task FlushAsync(CancellationToken cancellationToken = default)
    {
        var writer = _writer ?? throw new InvalidOperationException("The message store has not been initialized.");
        var marker = new PendingAppend(null);
        return (_appends.Writer.TryWrite(marker) ? marker.Completion.Task : writer).WaitAsync(cancellationToken);
    }

    public async Task<long> GetLastSeqAsync(string room, CancellationToken cancellationToken = default)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = new SqliteCommand("SELECT COALESCE(MAX(seq), 0) FROM messages WHERE room = $room;", connection);
        command.Parameters.AddWithValue("$room", room);
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken));
    }

    public async Task<IReadOnlyList<StoredMessage>> GetLatestAsync(string room, int limit, CancellationToken cancellationToken = default)
    {
        var newestFirst = await QueryAsync(
            $"SELECT {Columns} FROM messages WHERE room = $room ORDER BY seq DESC LIMIT $limit;",
            room, 0, limit, cancellationToken);
        newestFirst.Reverse();
        return newestFirst;
    }

    public async Task<IReadOnlyList<StoredMessage>> GetBeforeAsync(string room, long beforeSeq, int limit, CancellationToken cancellationToken = default)
    {
        var newestFirst = await QueryAsync(
            $"SELECT {Columns} FROM messages WHERE room = $room AND seq < $seq ORDER BY seq DESC LIMIT $limit;",
            room, beforeSeq, limit, cancellationToken);
        newestFirst.Reverse();
        return newestFirst;
    }

    public async Task<IReadOnlyList<StoredMessage>> GetAfterAsync(string room, long afterSeq, int limit, CancellationToken cancellationToken = default) =>
        await QueryAsync(
            $"SELECT {Columns} FROM messages WHERE room = $room AND seq > $seq ORDER BY seq LIMIT $limit;",
            room, afterSeq, limit, cancellationToken);

    public async Task<StoredMessage?> GetAsync(string room, long seq, CancellationToken cancellationToken = default)
    {
        var found = await QueryAsync($"SELECT {Columns} FROM messages WHERE room = $room AND seq = $seq LIMIT $limit;", room, seq, 1, cancellationToken);
        return found.Count == 0 ? null : found[0];
    }

    public async ValueTask DisposeAsync()
    {
        _appends.Writer.TryComplete();
        if (_writer is not null)
        {
            await _writer;
        }
    }

    private Task Enqueue(PendingAppend pending)
    {
        if (_writer is null)
        {
            throw new InvalidOperationException("The message store has not been initialized.");
        }

        return _appends.Writer.TryWrite(pending)
            ? pending.Completion.Task
            : Task.FromException(new ObjectDisposedException(nameof(SqliteMessageStore), "The message store is shut down."));
    }

    private async Task WriteLoopAsync(SqliteConnection connection)
    {
        await using var _ = connection;
        await using var insert = new SqliteCommand(
            $"INSERT INTO messages ({Columns}) VALUES ($room, $seq, $id, $sender, $sender_id, $client_message_id, $text, $sent_at);",
            connection);
        var parameters = new[] { "$room", "$seq", "$id", "$sender", "$sender_id", "$client_message_id", "$text", "$sent_at" }
            .Select(name => insert.Parameters.Add(new SqliteParameter { ParameterName = name }))
            .ToArray();
        insert.Prepare();

        var batch = new List<PendingAppend>(_maxBatchSize);
        while (await _appends.Reader.WaitToReadAsync())
        {
            while (batch.Count < _maxBatchSize && _appends.Reader.TryRead(out var pending))
            {
                batch.Add(pending);
            }

            try
            {
                using (var commit = StoreCommit.Start(_metrics, "sqlite"))
                {
                    commit.Committed(Commit(connection, insert, parameters, batch));
                }

                foreach (var pending in batch)
                {
                    pending.Completion.TrySetResult();
                }
            }
            catch (Exception batchError)
            {
                // One bad row must not fail the messages it happened to share a transaction with.
                Log.BatchFailed(_logger, batch.Count, batchError);
                foreach (var pending in batch)
                {
                    try
                    {
                        Commit(connection, insert, parameters, [pending]);
                        pending.Completion.TrySetResult();
                    }
                    catch (Exception ex)
                    {
                        pending.Completion.TrySetException(ex);
                    }
                }
            }

            batch.Clear();
        }
    }

    /// <summary>Writes the batch's messages in one transaction; returns how many it wrote.</summary>
    private static int Commit(SqliteConnection connection, SqliteCommand insert, SqliteParameter[] parameters, List<PendingAppend> batch)
    {
        var written = 0;
        using var transaction = connection.BeginTransaction();
        insert.Transaction = transaction;
        foreach (var pending in batch)
        {
            if (pending.Message is not { } stored)
            {
                continue;
            }

            var message = stored.Message;
            parameters[0].Value = message.Room;
            parameters[1].Value = message.Seq;
            parameters[2].Value = message.Id;
            parameters[3].Value = message.Sender;
            parameters[4].Value = stored.SenderId;
            parameters[5].Value = stored.ClientMessageId;
            parameters[6].Value = message.Text;
            parameters[7].Value = message.SentAt.ToUnixTimeMilliseconds();
            insert.ExecuteNonQuery();
            written++;
        }

        transaction.Commit();
        return written;
    }

    private async Task<SqliteConnection> OpenAsync(CancellationToken cancellationToken)
    {
        var connection = new SqliteConnection(_connectionString);
        await connection.OpenAsync(cancellationToken);
        return connection;
    }

    private async Task<List<StoredMessage>> QueryAsync(string sql, string room, long seq, int limit, CancellationToken cancellationToken)
    {
        await using var connection = await OpenAsync(cancellationToken);
        await using var command = new SqliteCommand(sql, connection);
        command.Parameters.AddWithValue("$room", room);
        command.Parameters.AddWithValue("$seq", seq);
        command.Parameters.AddWithValue("$limit", limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var messages = new List<StoredMessage>();
        while (await reader.ReadAsync(cancellationToken))
        {
            var message = new ChatMessage(
                Id: reader.GetString(2),
                Room: reader.GetString(0),
                Seq: reader.GetInt64(1),
                Sender: reader.GetString(3),
                Text: reader.GetString(6),
                SentAt: DateTimeOffset.FromUnixTimeMilliseconds(reader.GetInt64(7)),
                ClientMessageId: reader.GetString(5));
            messages.Add(new StoredMessage(message, SenderId: reader.GetString(4), ClientMessageId: reader.GetString(5)));
        }

        return messages;
    }

    private static async Task ExecuteAsync(SqliteConnection connection, string sql, CancellationToken cancellationToken)
    {
        await using var command = new SqliteCommand(sql, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>An append waiting for its commit; a null message is a flush marker.</summary>
    private sealed class PendingAppend(StoredMessage? message)
    {
        public StoredMessage? Message { get; } = message;

        public TaskCompletionSource Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 100, Level = LogLevel.Information, Message = "[HISTORY] SQLite message store at {Path}")]
        public static partial void StoreOpened(ILogger logger, string path);

        [LoggerMessage(EventId = 101, Level = LogLevel.Warning, Message = "[HISTORY] A batch of {Count} messages failed; retrying them one by one")]
        public static partial void BatchFailed(ILogger logger, int count, Exception exception);
    }
}
