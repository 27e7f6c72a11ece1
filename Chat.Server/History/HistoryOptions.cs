using System.ComponentModel.DataAnnotations;
using Chat.Protocol;
using Microsoft.Data.Sqlite;

namespace Chat.Server.History;

/// <summary>Configuration section <c>Chat:History</c>.</summary>
public sealed class HistoryOptions : IValidatableObject
{
    public const string SectionName = "Chat:History";

    /// <summary>Where history lives: one SQLite file (a single server) or PostgreSQL (shared by a cluster).</summary>
    public HistoryProvider Provider { get; set; } = HistoryProvider.Sqlite;

    /// <summary>The PostgreSQL connection string, e.g. <c>Host=localhost;Username=chat;Password=...;Database=chat</c>.</summary>
    public string? PostgresConnectionString { get; set; }

    /// <summary>The SQLite database file; relative paths are under the working folder.</summary>
    [Required]
    public string SqlitePath { get; set; } = "chat.db";

    /// <summary>How many recent messages each active room keeps in memory (joins and catch-up read them).</summary>
    [Range(ChatEndpoints.JoinHistorySize, 100_000)]
    public int RecentMessagesPerRoom { get; set; } = 256;

    /// <summary>How many of a room's latest messages are remembered for recognising a retried send.</summary>
    [Range(1, 1_000_000)]
    public int RetryWindow { get; set; } = 1000;

    /// <summary>The most appends written in one transaction.</summary>
    [Range(1, 10_000)]
    public int MaxBatchSize { get; set; } = 512;

    /// <summary>
    /// Whether the configuration puts history in PostgreSQL, read before the options are built: each feature
    /// that keeps tables in the message store's database (history, accounts, room registrations) picks its
    /// implementation by it.
    /// </summary>
    public static bool UsesPostgres(IConfiguration configuration) =>
        configuration.GetValue<HistoryProvider>($"{SectionName}:{nameof(Provider)}") == HistoryProvider.Postgres;

    /// <summary>
    /// The pooled connection string of the SQLite file at <paramref name="fullPath"/>, the same for every
    /// feature with tables in it, so they share SQLite's pool and wait for each other's locks alike.
    /// </summary>
    public static string SqliteConnectionString(string fullPath) =>
        new SqliteConnectionStringBuilder { DataSource = fullPath, Pooling = true, DefaultTimeout = 30 }.ToString();

    public IEnumerable<ValidationResult> Validate(ValidationContext validationContext)
    {
        if (Provider == HistoryProvider.Postgres && string.IsNullOrWhiteSpace(PostgresConnectionString))
        {
            yield return new ValidationResult(
                "Chat:History:PostgresConnectionString is required when Chat:History:Provider is Postgres.",
                [nameof(PostgresConnectionString)]);
        }
    }
}
