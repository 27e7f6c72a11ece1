using System.Diagnostics;
using Chat.Bench.Load;
using Chat.Protocol;
using Chat.Server.History;
using Chat.Testing;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;

namespace Chat.Bench.Scenarios;

/// <summary>
/// <c>store</c>: the history store alone, in this process: concurrent appenders (each a room, each
/// awaiting its append as the hub's sender does) against a <see cref="SqliteMessageStore"/> on a fresh
/// file. Appends per second sustained, and how long an append waits for its commit.
/// </summary>
public static class StoreScenario
{
    public static async Task<StoreResult> RunAsync(StoreSettings settings, CancellationToken cancellationToken = default)
    {
        var directory = Directory.CreateTempSubdirectory("chat-bench-store-");
        try
        {
            var options = Options.Create(new HistoryOptions
            {
                SqlitePath = Path.Combine(directory.FullName, "chat.db"),
                MaxBatchSize = settings.MaxBatchSize,
            });
            var store = new SqliteMessageStore(options, NullLogger<SqliteMessageStore>.Instance);
            await using (store)
            {
                await store.InitializeAsync(cancellationToken);
                return await MeasureAsync(store, settings, cancellationToken);
            }
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    private static async Task<StoreResult> MeasureAsync(SqliteMessageStore store, StoreSettings settings, CancellationToken cancellationToken)
    {
        var load = ProcessSample.LoadAverage();
        var text = new string('x', settings.MessageBytes);
        var latency = new LatencyHistogram();
        long inWindow = 0;
        var frequency = Stopwatch.Frequency;
        var windowStart = Stopwatch.GetTimestamp() + (long)(settings.WarmupSeconds * frequency);
        var windowEnd = windowStart + (long)(settings.DurationSeconds * frequency);

        async Task AppendLoopAsync(int appender)
        {
            var room = $"a{appender}";
            var sender = $"user{appender}";
            long seq = 0;
            while (Stopwatch.GetTimestamp() < windowEnd && !cancellationToken.IsCancellationRequested)
            {
                seq++;
                var message = new ChatMessage(Guid.CreateVersion7().ToString("N"), room, seq, sender, text, DateTimeOffset.UtcNow);
                var started = Stopwatch.GetTimestamp();
                await store.AppendAsync(new StoredMessage(message, sender, Guid.NewGuid().ToString("N")), cancellationToken);
                var ended = Stopwatch.GetTimestamp();
                if (started >= windowStart && ended <= windowEnd)
                {
                    latency.RecordElapsed(started, ended);
                }

                if (ended >= windowStart && ended <= windowEnd)
                {
                    Interlocked.Increment(ref inWindow);
                }
            }
        }

        var appending = Enumerable.Range(0, settings.Appenders).Select(appender => Task.Run(() => AppendLoopAsync(appender), cancellationToken)).ToArray();
        await Task.Delay(TimeSpan.FromSeconds(settings.WarmupSeconds), cancellationToken);
        var before = ProcessSample.ReadSelf();
        await Task.Delay(TimeSpan.FromSeconds(settings.DurationSeconds), cancellationToken);
        var after = ProcessSample.ReadSelf();
        await Task.WhenAll(appending);

        var appends = Interlocked.Read(ref inWindow);
        return new StoreResult(
            settings.Appenders,
            settings.MaxBatchSize,
            settings.MessageBytes,
            settings.DurationSeconds,
            appends,
            appends / settings.DurationSeconds,
            latency.Summarize(),
            ProcessSample.CpuPercent(before, after),
            load);
    }
}

public sealed record StoreSettings
{
    public int Appenders { get; init; } = 256;

    public int MaxBatchSize { get; init; } = new HistoryOptions().MaxBatchSize;

    public int MessageBytes { get; init; } = 128;

    public double WarmupSeconds { get; init; } = 2;

    public double DurationSeconds { get; init; } = 10;
}

/// <summary>Durable appends per second and the wait for each commit.</summary>
public sealed record StoreResult(
    int Appenders,
    int MaxBatchSize,
    int MessageBytes,
    double Seconds,
    long Appends,
    double AppendsPerSecond,
    LatencySummary Latency,
    double ProcessCpuPercent,
    string LoadAverage);
