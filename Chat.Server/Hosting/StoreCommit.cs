using System.Diagnostics;

namespace Chat.Server.Hosting;

/// <summary>
/// One batch of a message store's writer, measured: a span around the transaction, and once it
/// committed, the batch's size and the time it took (<see cref="ChatMetrics.StoreCommitted"/>). A batch
/// that never calls <see cref="Committed"/> ends its span as an error.
/// </summary>
public readonly struct StoreCommit : IDisposable
{
    public const string ActivityName = "MessageStore/Commit";

    private readonly ChatMetrics? _metrics;
    private readonly Activity? _activity;
    private readonly long _started;

    private StoreCommit(ChatMetrics? metrics, Activity? activity)
    {
        _metrics = metrics;
        _activity = activity;
        _started = Stopwatch.GetTimestamp();
    }

    /// <param name="system">The database, as OpenTelemetry's <c>db.system.name</c> words it: <c>sqlite</c>, <c>postgresql</c>.</param>
    public static StoreCommit Start(ChatMetrics? metrics, string system)
    {
        var activity = ChatActivities.Source.StartActivity(ActivityName, ActivityKind.Client);
        activity?.SetTag("db.system.name", system);
        return new StoreCommit(metrics, activity);
    }

    /// <summary>The transaction committed <paramref name="messages"/> messages.</summary>
    public void Committed(int messages)
    {
        _metrics?.StoreCommitted(messages, Stopwatch.GetElapsedTime(_started));
        if (_activity is not null)
        {
            _activity.SetTag("db.operation.batch.size", messages);
            _activity.SetStatus(ActivityStatusCode.Ok);
        }
    }

    public void Dispose()
    {
        if (_activity is { Status: ActivityStatusCode.Unset })
        {
            _activity.SetStatus(ActivityStatusCode.Error, "The batch did not commit.");
        }

        _activity?.Dispose();
    }
}
