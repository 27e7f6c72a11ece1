using System.Diagnostics;
using Chat.Bench.Load;
using Chat.Testing;

namespace Chat.Bench.Scenarios;

/// <summary>
/// Users connected and joined to their rooms, with senders ready: measures one window at a time
/// (warm-up, measured window, drain), so a fanout run has one window and a ramp has many.
/// </summary>
public sealed class FanoutRun : IAsyncDisposable
{
    private static readonly TimeSpan JoinSettle = TimeSpan.FromSeconds(1);

    private readonly string _name;
    private readonly FanoutSettings _settings;
    private readonly IReadOnlyList<ServerProcess> _servers;
    private readonly DeliveryTracker _tracker;
    private readonly ClientFleet _fleet;
    private readonly SendRate _rate = new();
    private readonly CancellationTokenSource _stopSending = new();
    private readonly Task[] _sending;
    private bool _closed;

    private FanoutRun(string name, FanoutSettings settings, IReadOnlyList<ServerProcess> servers, DeliveryTracker tracker, ClientFleet fleet)
    {
        _name = name;
        _settings = settings;
        _servers = servers;
        _tracker = tracker;
        _fleet = fleet;
        _sending = [.. tracker.Senders.Select(sender => sender.RunAsync(fleet.Clients[sender.Index]!, _rate, _stopSending.Token))];
    }

    public DeliveryTracker Tracker => _tracker;

    /// <summary>Connects and joins every user; <paramref name="endpointOf"/> says which server each user connects to.</summary>
    public static async Task<FanoutRun> OpenAsync(
        string name,
        HubDialect dialect,
        IReadOnlyList<ServerProcess> servers,
        Func<int, Uri> endpointOf,
        FanoutSettings settings,
        double maxPerSenderRate,
        double totalSendingSeconds,
        CancellationToken cancellationToken = default)
    {
        var layout = settings.Layout;
        if (layout.Problem() is { } problem)
        {
            throw new ArgumentException(problem, nameof(settings));
        }

        // Every run is bounded: a sender stops after this many messages whatever happens.
        var capacity = (int)Math.Ceiling((maxPerSenderRate * totalSendingSeconds * 1.5) + 100);
        var tracker = new DeliveryTracker(layout, dialect, settings.MessageBytes, capacity);
        var fleet = await ClientFleet.OpenAsync(
            layout.Users,
            user => dialect.HubUri(endpointOf(user), user),
            user => RoomLayout.RoomName(layout.RoomOf(user)),
            tracker,
            tracker.StateOf,
            settings.ConnectConcurrency,
            cancellationToken: cancellationToken);
        if (fleet.FailureCount > 0)
        {
            var failures = fleet.FailureCount;
            var samples = string.Join("\n  ", fleet.Failures.Take(5));
            await fleet.DisposeAsync();
            throw new InvalidOperationException($"{name}: {failures} of {layout.Users} users could not connect and join:\n  {samples}");
        }

        // Let the join announcements (UserJoined to every member) die down before measuring.
        await Task.Delay(JoinSettle, cancellationToken);
        return new FanoutRun(name, settings, servers, tracker, fleet);
    }

    /// <summary>Sends at <paramref name="perSenderRate"/> for a while without measuring (JIT tiering, pools, caches).</summary>
    public async Task WarmUpAsync(double perSenderRate, double seconds, CancellationToken cancellationToken = default)
    {
        _rate.PerSender = perSenderRate;
        await Task.Delay(TimeSpan.FromSeconds(seconds), cancellationToken);
    }

    /// <summary>Sends at <paramref name="perSenderRate"/>: warm-up, then the measured window, then stops and drains.</summary>
    public async Task<FanoutResult> MeasureAsync(double perSenderRate, double warmupSeconds, double durationSeconds, double drainSeconds, CancellationToken cancellationToken = default)
    {
        var duplicatesBefore = _tracker.Duplicates;
        var outOfOrderBefore = _tracker.OutOfOrder;
        var misroutedBefore = _tracker.Misrouted;
        var errorsBefore = _tracker.Errors;
        var load = ProcessSample.LoadAverage();

        _rate.PerSender = perSenderRate;
        await Task.Delay(TimeSpan.FromSeconds(warmupSeconds), cancellationToken);

        var measurement = new Measurement();
        _tracker.Measurement = measurement;
        var serversBefore = _servers.Select(server => server.Sample()).ToArray();
        var gcBefore = _servers.Select(server => server.SampleGc()).ToArray();
        var generatorBefore = ProcessSample.ReadSelf();
        await Task.Delay(TimeSpan.FromSeconds(durationSeconds), cancellationToken);
        measurement.Close();
        var serversAfter = _servers.Select(server => server.Sample()).ToArray();
        var generatorAfter = ProcessSample.ReadSelf();
        var gcAfter = _servers.Select(server => server.SampleGc()).ToArray();

        _rate.PerSender = 0;
        await DrainAsync(TimeSpan.FromSeconds(drainSeconds), cancellationToken);
        var peaks = _servers.Select(server => server.Sample()).ToArray();

        int Collections(Func<GcSample, int> generation) => gcBefore.Zip(gcAfter, (before, after) => generation(after) - generation(before)).Sum();
        var allocated = gcBefore.Zip(gcAfter, (before, after) => after.AllocatedBytes - before.AllocatedBytes).Sum();
        var serverCpu = serversBefore.Zip(serversAfter, (before, after) => (after.Cpu - before.Cpu).TotalSeconds).Sum();
        var deliveries = measurement.Deliveries;
        var layout = _settings.Layout;
        var unitRate = _settings.DeliveriesPerUnitRate;
        return new FanoutResult
        {
            Server = _name,
            Connections = layout.Users,
            Rooms = layout.Rooms,
            SendersPerRoom = layout.SendersPerRoom,
            MessageBytes = _settings.MessageBytes,
            RatePerSender = perSenderRate,
            OfferedMessagesPerSecond = perSenderRate * layout.Senders,
            OfferedDeliveriesPerSecond = perSenderRate * unitRate,
            WindowSeconds = measurement.Seconds,
            MessagesSent = _tracker.Sent,
            Deliveries = deliveries,
            DeliveriesPerSecond = deliveries / measurement.Seconds,
            ExpectedDeliveries = _tracker.Expected,
            Lost = Math.Max(0, _tracker.Expected - _tracker.Unique),
            Duplicates = _tracker.Duplicates - duplicatesBefore,
            OutOfOrder = _tracker.OutOfOrder - outOfOrderBefore,
            Misrouted = _tracker.Misrouted - misroutedBefore,
            SendErrors = _tracker.Errors - errorsBefore,
            FirstError = _tracker.FirstError,
            Latency = measurement.Latency.Summarize(),
            Acknowledgement = measurement.Acknowledgement.Summarize(),
            ServerCpuSeconds = serverCpu,
            ServerCpuPercent = serverCpu / measurement.Seconds * 100,
            ServerCpuMicrosecondsPerDelivery = deliveries == 0 ? 0 : serverCpu / deliveries * 1e6,
            ServerResidentMiB = peaks.Sum(sample => sample.ResidentBytes) / 1048576.0,
            ServerPeakResidentMiB = peaks.Sum(sample => sample.PeakResidentBytes) / 1048576.0,
            ServerAllocatedBytesPerDelivery = deliveries == 0 ? 0 : allocated / (double)deliveries,
            ServerGen0Collections = Collections(sample => sample.Gen0),
            ServerGen1Collections = Collections(sample => sample.Gen1),
            ServerGen2Collections = Collections(sample => sample.Gen2),
            ServerGcPauseMilliseconds = gcBefore.Zip(gcAfter, (before, after) => (after.Pauses - before.Pauses).TotalMilliseconds).Sum(),
            ServerManagedHeapMiB = gcAfter.Sum(sample => sample.HeapBytes) / 1048576.0,
            GeneratorCpuPercent = ProcessSample.CpuPercent(generatorBefore, generatorAfter),
            ClosedConnections = _fleet.Closed,
            LoadAverage = load,
        };
    }

    /// <summary>Stops the senders, closes every user, and counts exactly what never arrived.</summary>
    public async Task<long> CloseAsync()
    {
        if (_closed)
        {
            return 0;
        }

        _closed = true;
        await _stopSending.CancelAsync();
        await Task.WhenAll(_sending);
        var clients = _fleet.Clients;
        await _fleet.DisposeAsync();
        return _tracker.CountLost(clients);
    }

    public async ValueTask DisposeAsync()
    {
        await CloseAsync();
        _stopSending.Dispose();
    }

    /// <summary>Waits until every delivery owed has arrived and every send is answered, or the time is up.</summary>
    private async Task DrainAsync(TimeSpan limit, CancellationToken cancellationToken)
    {
        var deadline = Stopwatch.GetTimestamp() + (long)(limit.TotalSeconds * Stopwatch.Frequency);
        while (Stopwatch.GetTimestamp() < deadline && (_tracker.Unique < _tracker.Expected || _tracker.Unacknowledged > 0))
        {
            await Task.Delay(50, cancellationToken);
        }
    }
}
