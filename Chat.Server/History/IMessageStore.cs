namespace Chat.Server.History;

/// <summary>
/// Durable room history. Lists come back oldest first. <see cref="AppendAsync"/> completes only when
/// the message is durable; implementations batch concurrent appends into one commit.
/// </summary>
public interface IMessageStore
{
    /// <summary>Creates or upgrades the schema.</summary>
    Task InitializeAsync(CancellationToken cancellationToken = default);

    Task AppendAsync(StoredMessage message, CancellationToken cancellationToken = default);

    /// <summary>The highest stored <c>seq</c> of the room, 0 when it has none.</summary>
    Task<long> GetLastSeqAsync(string room, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<StoredMessage>> GetLatestAsync(string room, int limit, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<StoredMessage>> GetBeforeAsync(string room, long beforeSeq, int limit, CancellationToken cancellationToken = default);

    Task<IReadOnlyList<StoredMessage>> GetAfterAsync(string room, long afterSeq, int limit, CancellationToken cancellationToken = default);

    Task<StoredMessage?> GetAsync(string room, long seq, CancellationToken cancellationToken = default);

    /// <summary>Completes when every append accepted so far is durable.</summary>
    Task FlushAsync(CancellationToken cancellationToken = default);
}
