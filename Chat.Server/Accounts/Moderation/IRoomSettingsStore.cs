namespace Chat.Server.Accounts.Moderation;

/// <summary>
/// Room registrations in the message store's database (the SQLite file, or PostgreSQL for a cluster).
/// Each change is one statement on the row or entry it touches, so two nodes changing different
/// settings of one room at once both land.
/// </summary>
public interface IRoomSettingsStore
{
    /// <summary>Creates the tables if they are missing.</summary>
    Task InitializeAsync(CancellationToken cancellationToken = default);

    Task<IReadOnlyList<RoomRegistration>> LoadAllAsync(CancellationToken cancellationToken = default);

    /// <summary>The room's registration; null when it has none.</summary>
    Task<RoomRegistration?> LoadAsync(string room, CancellationToken cancellationToken = default);

    /// <summary>Registers the room unless it already is; true when this call registered it.</summary>
    Task<bool> RegisterAsync(string room, string? owner, DateTimeOffset createdAt, CancellationToken cancellationToken = default);

    Task SetTopicAsync(string room, string? topic, CancellationToken cancellationToken = default);

    Task SetInviteOnlyAsync(string room, bool inviteOnly, CancellationToken cancellationToken = default);

    /// <summary>Sets (<c>+k</c>) or clears (null, <c>-k</c>) the join key.</summary>
    Task SetKeyAsync(string room, string? key, CancellationToken cancellationToken = default);

    Task SetModeratedAsync(string room, bool moderated, CancellationToken cancellationToken = default);

    /// <summary>Adds the entry, or renames it if the subject is already on that list.</summary>
    Task AddEntryAsync(string room, RoomEntry entry, CancellationToken cancellationToken = default);

    /// <summary>Removes these subjects from the list; returns how many entries went.</summary>
    Task<int> RemoveEntriesAsync(string room, RoomList list, IReadOnlyCollection<string> subjects, CancellationToken cancellationToken = default);
}
