using System.ComponentModel.DataAnnotations;
using Chat.Protocol;

namespace Chat.Server.History;

/// <summary>Configuration section <c>Chat:History</c>.</summary>
public sealed class HistoryOptions
{
    public const string SectionName = "Chat:History";

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
}

