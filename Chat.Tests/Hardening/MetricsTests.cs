using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using Chat.Client;
using Chat.Server.Hosting;
using Chat.Tests.Infrastructure;
using Microsoft.Extensions.DependencyInjection;

namespace Chat.Tests.Hardening;

/// <summary>Counters are read in-process, so this test hosts the real server inside the test run, on Kestrel.</summary>
public sealed class MetricsTests : IAsyncLifetime
{
    private readonly InProcessChatServer _server = new();

    private Uri Address => _server.Address;

    public Task InitializeAsync() => Task.CompletedTask;

    public Task DisposeAsync() => _server.DisposeAsync().AsTask();

    [Fact]
    public async Task Connections_rooms_messages_and_refusals_are_counted_on_the_chat_meter()
    {
        // Other tests may host servers in this process at the same time: count this server's meter only.
        var meter = _server.Services.GetRequiredService<ChatMetrics>().Meter;
        meter.Name.Should().Be(ChatMetrics.MeterName);
        var totals = new ConcurrentDictionary<string, long>();
        using var listener = new MeterListener();
        listener.InstrumentPublished = (instrument, l) =>
        {
            if (ReferenceEquals(instrument.Meter, meter))
            {
                l.EnableMeasurementEvents(instrument);
            }
        };
        listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) =>
        {
            // Each instrument has at most one attribute: counted per value, and in the instrument's total.
            var label = tags.ToArray().FirstOrDefault().Value;
            totals.AddOrUpdate(instrument.Name, value, (_, total) => total + value);
            if (label is not null)
            {
                totals.AddOrUpdate($"{instrument.Name}:{label}", value, (_, total) => total + value);
            }
        });
        listener.SetMeasurementEventCallback<int>((instrument, value, _, _) => totals[instrument.Name] = value);
        listener.SetMeasurementEventCallback<double>((instrument, _, _, _) => totals.AddOrUpdate(instrument.Name, 1, (_, count) => count + 1));
        listener.Start();

        var room = Names.Room();
        await using var alice = await TestClient.ConnectAsync(Address, Names.User("alice"));
        await using var bob = await TestClient.ConnectAsync(Address, Names.User("bob"));
        await alice.Client.JoinAsync(room);
        await bob.Client.JoinAsync(room);
        await alice.Client.SendAsync(room, "one");
        await alice.Client.SendDirectAsync(bob.Nickname, "two");
        var refused = () => alice.Client.SendAsync(room, " ");
        await refused.Should().ThrowAsync<ChatException>();
        listener.RecordObservableInstruments();

        totals.GetValueOrDefault($"{ChatMetrics.Connections}:direct").Should().Be(2);
        totals.GetValueOrDefault($"{ChatMetrics.MessagesReceived}:room").Should().Be(1);
        totals.GetValueOrDefault($"{ChatMetrics.MessagesReceived}:direct").Should().Be(1);
        totals.GetValueOrDefault(ChatMetrics.SendDuration).Should().Be(1, "one room message was acknowledged");
        totals.GetValueOrDefault($"{ChatMetrics.Rejections}:invalid").Should().Be(1);
        totals.GetValueOrDefault(ChatMetrics.Rooms).Should().Be(1);
        totals.GetValueOrDefault(ChatMetrics.Users).Should().Be(2);

        // The room message to its two members, the direct message to Bob and back to Alice's own connection.
        await Task.WhenAll(alice.Messages.WaitForCountAsync(1), bob.Messages.WaitForCountAsync(1), alice.Directs.WaitForCountAsync(1), bob.Directs.WaitForCountAsync(1));
        totals.GetValueOrDefault(ChatMetrics.MessagesDelivered).Should().Be(4);
    }
}
