using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Chat.Server.Hosting;

namespace Chat.Server.Admin.Internal;

/// <summary>
/// Listens to this server's own meter (<see cref="ChatMetrics"/>: several servers in one process each
/// have one) and keeps what the admin screen charts: messages received and delivered in a
/// <see cref="TrafficRing"/>, and refusals counted by reason since the start. Reading the counters the
/// server already exports keeps the hot path as it is: no second call beside each metric.
/// </summary>
internal sealed class TrafficRecorder : IHostedService, IDisposable
{
    private readonly ChatMetrics _metrics;
    private readonly TimeProvider _time;
    private readonly MeterListener _listener = new();
    private readonly ConcurrentDictionary<string, long> _rejections = new(StringComparer.Ordinal);

    public TrafficRecorder(ChatMetrics metrics, TimeProvider time)
    {
        _metrics = metrics;
        _time = time;
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter == _metrics.Meter
                && instrument.Name is ChatMetrics.MessagesReceived or ChatMetrics.MessagesDelivered or ChatMetrics.Rejections)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>(OnMeasurement);
    }

    public TrafficRing Ring { get; } = new();

    /// <summary>Refusals since the start, by reason.</summary>
    public IReadOnlyDictionary<string, long> Rejections => new SortedDictionary<string, long>(_rejections, StringComparer.Ordinal);

    public Task StartAsync(CancellationToken cancellationToken)
    {
        _listener.Start();
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose() => _listener.Dispose();

    private void OnMeasurement(Instrument instrument, long value, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
    {
        if (instrument.Meter != _metrics.Meter)
        {
            return;
        }

        switch (instrument.Name)
        {
            case ChatMetrics.MessagesReceived:
                Ring.AddReceived(value, _time.GetUtcNow());
                break;
            case ChatMetrics.MessagesDelivered:
                Ring.AddDelivered(value, _time.GetUtcNow());
                break;
            default:
                foreach (var tag in tags)
                {
                    if (tag.Key == ChatMetrics.RejectionReasonAttribute && tag.Value is string reason)
                    {
                        _rejections.AddOrUpdate(reason, value, (_, total) => total + value);
                    }
                }

                break;
        }
    }
}
