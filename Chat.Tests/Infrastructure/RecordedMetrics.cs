using System.Diagnostics.Metrics;
using Chat.Server.Admin;
using Chat.Server.Hosting;
using Chat.Server.Rooms;
using Chat.Server.Transport;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Chat.Tests.Infrastructure;

/// <summary>
/// A real <see cref="ChatMetrics"/> on a real meter factory, for unit tests of the server's guards: the
/// refusals they count land on the same counters the server exports, and every <c>chat.rejections</c>
/// reason is recorded in order.
/// </summary>
public sealed class RecordedMetrics : IDisposable
{
    private readonly TransportMemoryPools _pools;
    private readonly MeterListener _listener = new();
    private readonly List<string> _rejections = [];

    public RecordedMetrics()
    {
        Services = new ServiceCollection().AddMetrics().BuildServiceProvider();

        // The pools' trim timer runs on a clock of its own, never one a test moves.
        _pools = new TransportMemoryPools(Options.Create(new TransportOptions()), new FakeTimeProvider());
        var rooms = new InMemoryRoomRegistry();
        Metrics = new ChatMetrics(Services.GetRequiredService<IMeterFactory>(), rooms, _pools);
        Activity = new RecentActivity(Options.Create(new AdminOptions { Enabled = true }), rooms, TimeProvider.System);
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter == Metrics.Meter && instrument.Name == ChatMetrics.Rejections)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((_, _, tags, _) =>
        {
            foreach (var tag in tags)
            {
                if (tag.Key == ChatMetrics.RejectionReasonAttribute)
                {
                    lock (_rejections)
                    {
                        _rejections.Add((string)tag.Value!);
                    }
                }
            }
        });
        _listener.Start();
    }

    /// <summary>The container the meter factory came from (also serves as a hub invocation's services).</summary>
    public ServiceProvider Services { get; }

    public ChatMetrics Metrics { get; }

    /// <summary>The admin screen's ring of recent events, enabled, which the guards report floods and stalls to.</summary>
    public RecentActivity Activity { get; }

    /// <summary>The reasons counted on <c>chat.rejections</c> so far, in order.</summary>
    public IReadOnlyList<string> Rejections
    {
        get
        {
            lock (_rejections)
            {
                return [.. _rejections];
            }
        }
    }

    public void Dispose()
    {
        _listener.Dispose();
        Metrics.Dispose();
        _pools.Dispose();
        Services.Dispose();
    }
}
