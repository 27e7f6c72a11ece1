using System.Threading.Channels;
using Chat.Protocol;
using Chat.Server.History.Internal;
using Chat.Server.Hosting;
using Microsoft.Extensions.Options;
using Npgsql;

namespace Chat.Server.History;

/// <summary>
/// History in PostgreSQL, shared by every node of a cluster. Besides the <see cref="IMessageStore"/>
/// operations it numbers new messages (<see cref="AppendNewAsync"/>): in one transaction a room's
/// <c>room_seq</c> row is incremented and the message inserted, so <c>seq</c> is allocated in one
/// place for the whole cluster, gapless (a rolled-back transaction gives its number back) and durable
/// before anyone sees it. Writes queue to a single writer that commits them in batches, in one round
/// trip and one transaction; items are taken in room order inside a batch so that two nodes' batches
/// lock <c>room_seq</c> rows in the same order and cannot deadlock. The tables and the function it
/// calls are created and upgraded by <see cref="PostgresSchema"/> when the store starts.
/// </summary>
public sealed partial class PostgresMessageStore : IMessageStore, IAsyncDisposable
{
    private const string Columns = "room, seq, id, sender, sender_id, client_message_id, text, sent_at";

    private const string UniqueViolation = "23505";

    private readonly Channel<PendingWrite> _writes = Channel.CreateUnbounded<PendingWrite>(new UnboundedChannelOptions { SingleReader = true });
    private readonly NpgsqlDataSource _dataSource;
    private readonly int _maxBatchSize;
    private readonly ILogger<PostgresMessageStore> _logger;
    private readonly ChatMetrics? _metrics;
    private Task? _writer;

    /// <param name="metrics">Where each committed batch is measured; none when the store is used on its own.</param>
    public PostgresMessageStore(IOptions<HistoryOptions> options, ILogger<PostgresMessageStore> logger, ChatMetrics? metrics = null)
    {
        _metrics = metrics;
        var connectionString = options.Value.PostgresConnectionString
            ?? throw new InvalidOperationException("Chat:History:PostgresConnectionString is not set.");
        _dataSource = NpgsqlDataSource.Create(connectionString);
        _maxBatchSize = options.Value.MaxBatchSize;
        _logger = logger;
    }

    public static int SchemaVersion => PostgresSchema.Version;

    public async Task InitializeAsync(CancellationToken cancellationToken = default)
    {
        if (_writer is not null)
        {
            return;
        }

        await using (var connection = await OpenWhenReachableAsync(cancellationToken))
        {
            var version = await PostgresSchema.UpgradeAsync(connection, cancellationToken);
            Log.StoreOpened(_logger, connection.Host ?? "?", connection.Database, version, SchemaVersion);
        }

        _writer = Task.Run(WriteLoopAsync, CancellationToken.None);
    }

    public Task AppendAsync(StoredMessage message, CancellationToken cancellationToken = default) =>
        Enqueue(new PendingWrite(message, null, null));

    /// <summary>
    /// Numbers and stores a new message in one transaction, or finds the message already stored for the
    /// same (room, sender, client message id). After the commit, a new message is handed to
    /// <paramref name="deliver"/> by the writer itself, in commit order (so a room's messages leave this
    /// node in <c>seq</c> order), and then the append completes.
    /// </summary>
    public async Task<AppendOutcome> AppendNewAsync(NewMessage message, Func<ChatMessage, Task> deliver, CancellationToken cancellationToken = default)
    {
        var pending = new PendingWrite(null, message, deliver);
        return (await Enqueue(pending).WaitAsync(cancellationToken))!;
    }

    /// <remarks>
    /// Once the store is shut down (the host disposes it, possibly while another stop is still flushing),
    /// a flush waits for the writer to finish what it accepted instead of failing.
    /// </remarks>
    public Task FlushAsync(CancellationToken cancellationToken = default)
    {
        var writer = _writer ?? throw new InvalidOperationException("The message store has not been initialized.");
        var marker = new PendingWrite(null, null, null);
        return (_writes.Writer.TryWrite(marker) ? (Task)marker.Completion.Task : writer).WaitAsync(cancellationToken);
    }

    public async Task<long> GetLastSeqAsync(string room, CancellationToken cancellationToken = default)
    {
        await using var command = _dataSource.CreateCommand("SELECT COALESCE(MAX(seq), 0) FROM messages WHERE room = $1;");
        command.Parameters.AddWithValue(room);
        return Convert.ToInt64(await command.ExecuteScalarAsync(cancellationToken));
    }

    public async Task<IReadOnlyList<StoredMessage>> GetLatestAsync(string room, int limit, CancellationToken cancellationToken = default)
    {
        var newestFirst = await QueryAsync($"SELECT {Columns} FROM messages WHERE room = $1 ORDER BY seq DESC LIMIT $3;", room, 0, limit, cancellationToken);
        newestFirst.Reverse();
        return newestFirst;
    }

    public async Task<IReadOnlyList<StoredMessage>> GetBeforeAsync(string room, long beforeSeq, int limit, CancellationToken cancellationToken = default)
    {
        var newestFirst = await QueryAsync($"SELECT {Columns} FROM messages WHERE room = $1 AND seq < $2 ORDER BY seq DESC LIMIT $3;", room, beforeSeq, limit, cancellationToken);
        newestFirst.Reverse();
        return newestFirst;
    }

    public async Task<IReadOnlyList<StoredMessage>> GetAfterAsync(string room, long afterSeq, int limit, CancellationToken cancellationToken = default) =>
        await QueryAsync($"SELECT {Columns} FROM messages WHERE room = $1 AND seq > $2 ORDER BY seq LIMIT $3;", room, afterSeq, limit, cancellationToken);

    public async Task<StoredMessage?> GetAsync(string room, long seq, CancellationToken cancellationToken = default)
    {
        var found = await QueryAsync($"SELECT {Columns} FROM messages WHERE room = $1 AND seq = $2 LIMIT $3;", room, seq, 1, cancellationToken);
        return found.Count == 0 ? null : found[0];
    }

    public async ValueTask DisposeAsync()
    {
        _writes.Writer.TryComplete();
        if (_writer is not null)
        {
            await _writer;
        }

        await _dataSource.DisposeAsync();
    }

    private static StoredMessage ReadStored(NpgsqlDataReader reader) =>
        new(
            new ChatMessage(
                Id: reader.GetString(2),
                Room: reader.GetString(0),
                Seq: reader.GetInt64(1),
                Sender: reader.GetString(3),
                Text: reader.GetString(6),
                SentAt: reader.GetFieldValue<DateTimeOffset>(7),
                ClientMessageId: reader.GetString(5)),
            SenderId: reader.GetString(4),
            ClientMessageId: reader.GetString(5));

    /// <summary>A cluster may start before its database answers (containers starting together): try for a while.</summary>
    private async Task<NpgsqlConnection> OpenWhenReachableAsync(CancellationToken cancellationToken)
    {
        var deadline = DateTimeOffset.UtcNow.AddSeconds(60);
        while (true)
        {
            try
            {
                return await _dataSource.OpenConnectionAsync(cancellationToken);
            }
            catch (NpgsqlException ex) when (ex.IsTransient && DateTimeOffset.UtcNow < deadline)
            {
                Log.DatabaseUnreachable(_logger, ex.Message);
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            }
        }
    }

    private Task<AppendOutcome?> Enqueue(PendingWrite pending)
    {
        if (_writer is null)
        {
            throw new InvalidOperationException("The message store has not been initialized.");
        }

        return _writes.Writer.TryWrite(pending)
            ? pending.Completion.Task
            : Task.FromException<AppendOutcome?>(new ObjectDisposedException(nameof(PostgresMessageStore), "The message store is shut down."));
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<PendingWrite>(_maxBatchSize);
        while (await _writes.Reader.WaitToReadAsync())
        {
            while (batch.Count < _maxBatchSize && _writes.Reader.TryRead(out var pending))
            {
                batch.Add(pending);
            }

            try
            {
                await CommitAsync(batch);
                foreach (var pending in batch)
                {
                    pending.Complete(_logger);
                }
            }
            catch (Exception batchError)
            {
                // One bad row must not fail the writes it happened to share a transaction with.
                Log.BatchFailed(_logger, batch.Count, batchError);
                foreach (var pending in batch)
                {
                    await CommitAloneAsync(pending);
                }
            }

            batch.Clear();
        }
    }

    private async Task CommitAloneAsync(PendingWrite pending)
    {
        // A retried send racing its first attempt on another node loses on the unique index once the
        // first commits; run again, it finds that first message.
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await CommitAsync([pending]);
                pending.Complete(_logger);
                return;
            }
            catch (PostgresException ex) when (ex.SqlState == UniqueViolation && pending.New is not null && attempt < 3)
            {
            }
            catch (Exception ex)
            {
                pending.Completion.TrySetException(ex);
                return;
            }
        }
    }

    private async Task CommitAsync(List<PendingWrite> batch)
    {
        var writes = batch.Where(pending => !pending.IsFlush).OrderBy(pending => pending.Room, StringComparer.Ordinal).ToList();
        if (writes.Count == 0)
        {
            return;
        }

        using var commit = StoreCommit.Start(_metrics, "postgresql");
        await using var connection = await _dataSource.OpenConnectionAsync();
        await using var transaction = await connection.BeginTransactionAsync();
        await using var commands = new NpgsqlBatch(connection, transaction);
        foreach (var pending in writes)
        {
            commands.BatchCommands.Add(pending.New is { } created ? NumberCommand(created) : InsertCommand(pending.Stored!));
        }

        await using (var reader = await commands.ExecuteReaderAsync())
        {
            foreach (var pending in writes)
            {
                if (!await reader.ReadAsync())
                {
                    throw new InvalidOperationException("A write in the batch returned no row.");
                }

                if (pending.New is { } created)
                {
                    var message = new ChatMessage(
                        reader.GetString(1),
                        created.Room,
                        reader.GetInt64(0),
                        reader.GetString(2),
                        reader.GetString(3),
                        reader.GetFieldValue<DateTimeOffset>(4),
                        created.ClientMessageId);
                    pending.Outcome = new AppendOutcome(message, IsNew: reader.GetBoolean(5));
                }

                await reader.NextResultAsync();
            }
        }

        await transaction.CommitAsync();
        commit.Committed(writes.Count);
    }

    private static NpgsqlBatchCommand NumberCommand(NewMessage message)
    {
        var command = new NpgsqlBatchCommand("SELECT * FROM chat_append_message($1, $2, $3, $4, $5, $6, $7);");
        command.Parameters.AddWithValue(message.Room);
        command.Parameters.AddWithValue(message.Id);
        command.Parameters.AddWithValue(message.Sender);
        command.Parameters.AddWithValue(message.SenderId);
        command.Parameters.AddWithValue(message.ClientMessageId);
        command.Parameters.AddWithValue(message.Text);
        command.Parameters.AddWithValue(message.SentAt.ToUniversalTime());
        return command;
    }

    /// <summary>A message that already has its seq; room_seq follows so later numbering continues after it.</summary>
    private static NpgsqlBatchCommand InsertCommand(StoredMessage stored)
    {
        var command = new NpgsqlBatchCommand($"""
            WITH inserted AS (
                INSERT INTO messages ({Columns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING room, seq
            ), numbered AS (
                INSERT INTO room_seq AS r (room, last_seq) SELECT room, seq FROM inserted
                ON CONFLICT (room) DO UPDATE SET last_seq = GREATEST(r.last_seq, EXCLUDED.last_seq)
            )
            SELECT seq FROM inserted;
            """);
        var message = stored.Message;
        command.Parameters.AddWithValue(message.Room);
        command.Parameters.AddWithValue(message.Seq);
        command.Parameters.AddWithValue(message.Id);
        command.Parameters.AddWithValue(message.Sender);
        command.Parameters.AddWithValue(stored.SenderId);
        command.Parameters.AddWithValue(stored.ClientMessageId);
        command.Parameters.AddWithValue(message.Text);
        command.Parameters.AddWithValue(message.SentAt.ToUniversalTime());
        return command;
    }

    private async Task<List<StoredMessage>> QueryAsync(string sql, string room, long seq, int limit, CancellationToken cancellationToken)
    {
        await using var command = _dataSource.CreateCommand(sql);
        command.Parameters.AddWithValue(room);
        command.Parameters.AddWithValue(seq);
        command.Parameters.AddWithValue((long)limit);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        var messages = new List<StoredMessage>();
        while (await reader.ReadAsync(cancellationToken))
        {
            messages.Add(ReadStored(reader));
        }

        return messages;
    }

    /// <summary>A queued write: a numbered message, a new one to number, or (neither) a flush marker.</summary>
    private sealed class PendingWrite(StoredMessage? stored, NewMessage? created, Func<ChatMessage, Task>? deliver)
    {
        public StoredMessage? Stored { get; } = stored;

        public NewMessage? New { get; } = created;

        public bool IsFlush => Stored is null && New is null;

        public string Room => New?.Room ?? Stored?.Message.Room ?? string.Empty;

        public AppendOutcome? Outcome { get; set; }

        public TaskCompletionSource<AppendOutcome?> Completion { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        /// <summary>Called once the write is committed: delivers a new message, then answers the caller.</summary>
        public void Complete(ILogger logger)
        {
            if (Outcome is { IsNew: true } outcome && deliver is not null)
            {
                try
                {
                    // Delivery only queues the message (locally and on the backplane); the sender's
                    // acknowledgement means durable, not delivered, so it does not wait for it.
                    deliver(outcome.Message).ContinueWith(static task => _ = task.Exception, TaskContinuationOptions.OnlyOnFaulted | TaskContinuationOptions.ExecuteSynchronously);
                }
                catch (Exception ex)
                {
                    // The message is durable; members that miss it fetch it by seq.
                    Log.DeliveryFailed(logger, outcome.Message.Room, outcome.Message.Seq, ex);
                }
            }

            Completion.TrySetResult(Outcome);
        }
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 110, Level = LogLevel.Information, Message = "[HISTORY] PostgreSQL message store on {Host}/{Database}, schema {FromVersion} -> {ToVersion}")]
        public static partial void StoreOpened(ILogger logger, string host, string database, int fromVersion, int toVersion);

        [LoggerMessage(EventId = 111, Level = LogLevel.Warning, Message = "[HISTORY] A batch of {Count} writes failed; retrying them one by one")]
        public static partial void BatchFailed(ILogger logger, int count, Exception exception);

        [LoggerMessage(EventId = 113, Level = LogLevel.Warning, Message = "[HISTORY] Handing message {Seq} of {Room} to delivery failed")]
        public static partial void DeliveryFailed(ILogger logger, string room, long seq, Exception exception);

        [LoggerMessage(EventId = 112, Level = LogLevel.Warning, Message = "[HISTORY] PostgreSQL does not answer yet ({Reason}); retrying")]
        public static partial void DatabaseUnreachable(ILogger logger, string reason);
    }
}
