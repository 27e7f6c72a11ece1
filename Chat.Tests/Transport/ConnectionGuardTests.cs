using System.IO.Pipelines;
using Chat.Server.Admin;
using Chat.Server.Hosting;
using Chat.Server.Transport;
using Chat.Tests.Infrastructure;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Chat.Tests.Transport;

/// <summary>
/// The connection guard on a fake clock: a client silent for longer than ClientTimeoutSeconds, or whose
/// outgoing buffer stays full for longer than StallTimeoutSeconds, is closed; anything it sends or reads
/// starts its clock again, and only the offending connection is closed.
/// </summary>
public sealed class ConnectionGuardTests : IAsyncLifetime
{
    private static readonly ChatLimitsOptions Limits = new() { ClientTimeoutSeconds = 30, StallTimeoutSeconds = 10 };
    private static readonly TimeSpan Silence = TimeSpan.FromSeconds(Limits.ClientTimeoutSeconds);
    private static readonly TimeSpan Stall = TimeSpan.FromSeconds(Limits.StallTimeoutSeconds);

    private readonly CheckClock _time = new();
    private readonly RecordedMetrics _recorded = new();
    private readonly CountedOptions _options = new(Limits);
    private readonly ConnectionGuard _guard;

    public ConnectionGuardTests()
    {
        _guard = new ConnectionGuard(_options, _time, _recorded.Metrics, _recorded.Activity, NullLogger<ConnectionGuard>.Instance);
    }

    public async Task InitializeAsync()
    {
        await _guard.StartAsync(CancellationToken.None);
        await _time.Timers.WaitForCountAsync(1);
    }

    public async Task DisposeAsync()
    {
        await _guard.StopAsync(CancellationToken.None);
        _guard.Dispose();
        _recorded.Dispose();
    }

    [Fact]
    public async Task A_client_silent_for_longer_than_ClientTimeoutSeconds_is_closed_and_counted()
    {
        var alice = Open();

        await Step(Silence);
        alice.Closed.Should().BeNull("silent for exactly the limit is not longer than it");

        await Step(TimeSpan.FromMilliseconds(1));
        alice.Closed.Should().Be("The client stopped sending.");
        _recorded.Rejections.Should().Contain("silent").And.NotContain("stalled");
    }

    [Fact]
    public async Task Anything_received_from_the_client_starts_its_silence_clock_again()
    {
        var alice = Open();
        await Step(Silence - TimeSpan.FromSeconds(5));

        await alice.ReceiveAsync();

        await Step(TimeSpan.FromSeconds(5) + TimeSpan.FromMilliseconds(1));
        alice.Closed.Should().BeNull("it sent something five seconds before the limit");
        await Step(Silence - TimeSpan.FromSeconds(5) - TimeSpan.FromMilliseconds(1));
        alice.Closed.Should().BeNull("silent for exactly the limit since it last sent");
        await Step(TimeSpan.FromMilliseconds(1));
        alice.Closed.Should().Be("The client stopped sending.");
    }

    [Fact]
    public async Task A_client_that_stops_reading_is_closed_after_StallTimeoutSeconds_long_before_it_counts_as_silent()
    {
        var alice = Open();
        var flush = alice.SendUntilFull();
        await Step(TimeSpan.FromSeconds(3));

        await Step(Stall - TimeSpan.FromSeconds(3));
        alice.Closed.Should().BeNull("the buffer has been full for exactly the limit");

        await Step(TimeSpan.FromMilliseconds(1));
        alice.Closed.Should().Be("The client stopped reading.");
        _recorded.Rejections.Should().Contain("stalled").And.NotContain("silent");
        _recorded.Activity.Latest().Should().Contain(entry => entry.Kind == RecentActivity.Stall, "the admin screen lists the stall");
        flush.IsCompleted.Should().BeFalse("the client never read");
    }

    [Fact]
    public async Task A_full_buffer_the_client_drains_in_time_does_not_count_towards_a_stall()
    {
        var alice = Open();
        var flush = alice.SendUntilFull();
        await Step(Stall - TimeSpan.FromSeconds(1));

        await alice.DrainAsync();
        await flush;

        await Step(TimeSpan.FromSeconds(2));
        alice.Closed.Should().BeNull("the client read what was waiting");

        // A second full buffer is timed from when it filled, not from the first.
        flush = alice.SendUntilFull();
        await Step(Stall);
        alice.Closed.Should().BeNull("the second stall is exactly the limit long");
        await Step(TimeSpan.FromMilliseconds(1));
        alice.Closed.Should().Be("The client stopped reading.");
    }

    [Fact]
    public async Task Only_the_offending_connection_is_closed()
    {
        var silent = Open();
        var talking = Open();
        var stalled = Open();
        var stalledFlush = stalled.SendUntilFull();

        await Step(Silence - TimeSpan.FromSeconds(1));
        await talking.ReceiveAsync();
        await stalled.ReceiveAsync();
        await Step(TimeSpan.FromSeconds(2));

        silent.Closed.Should().Be("The client stopped sending.");
        talking.Closed.Should().BeNull();
        stalled.Closed.Should().Be("The client stopped reading.", "sending does not excuse not reading");
        stalledFlush.IsCompleted.Should().BeFalse();
    }

    [Fact]
    public async Task Open_connections_are_listed_until_they_end_and_shutdown_closes_every_one_still_open()
    {
        var alice = Open();
        var bob = Open();
        var carol = Open();
        _guard.Count.Should().Be(3);

        await bob.EndAsync();

        _guard.ConnectionIds.Should().BeEquivalentTo([alice.ConnectionId, carol.ConnectionId]);
        _guard.AbortAll();
        alice.Closed.Should().Be("The server is shutting down.");
        carol.Closed.Should().Be("The server is shutting down.");
        bob.Closed.Should().BeNull("it had already ended");
    }

    /// <summary>A connection that has gone through the guard's middleware and stays open until closed or ended.</summary>
    private FakeConnection Open()
    {
        var connection = new FakeConnection();
        connection.Run = _guard.Watch(_ => connection.Ended.Task)(connection);
        return connection;
    }

    /// <summary>
    /// Moves the clock, then lets the guard check twice at the new time: the second check starting means
    /// the first one, which began after the clock moved, has finished, so what it decided can be asserted.
    /// </summary>
    private async Task Step(TimeSpan by)
    {
        _time.Advance(by);
        var checks = _options.Reads.Items.Count;
        _time.Tick();
        await _options.Reads.WaitForCountAsync(checks + 1);
        _time.Tick();
        await _options.Reads.WaitForCountAsync(checks + 2);
    }

    /// <summary>The guard reads its limits once at the start of every check, so each read is a check starting.</summary>
    private sealed class CountedOptions(ChatLimitsOptions limits) : IOptions<ChatLimitsOptions>
    {
        public EventRecorder<int> Reads { get; } = new();

        public ChatLimitsOptions Value
        {
            get
            {
                Reads.Add(Reads.Items.Count + 1);
                return limits;
            }
        }
    }

    /// <summary>
    /// A fake clock that records the guard's timer and can make it tick without moving the clock, so a
    /// check can run at exactly the time a test means.
    /// </summary>
    private sealed class CheckClock : FakeTimeProvider
    {
        private readonly List<(TimerCallback Callback, object? State)> _callbacks = [];

        public EventRecorder<DateTimeOffset> Timers { get; } = new();

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            var timer = base.CreateTimer(callback, state, dueTime, period);
            lock (_callbacks)
            {
                _callbacks.Add((callback, state));
            }

            Timers.Add(GetUtcNow());
            return timer;
        }

        public void Tick()
        {
            lock (_callbacks)
            {
                foreach (var (callback, state) in _callbacks)
                {
                    callback(state);
                }
            }
        }
    }

    /// <summary>
    /// One connection: the client's side of its pipes, and the first reason it was closed for. Its
    /// outgoing pipe holds little, so a client that does not read fills it quickly.
    /// </summary>
    private sealed class FakeConnection : ConnectionContext
    {
        private readonly Pipe _fromClient = new();
        private readonly Pipe _toClient = new(new PipeOptions(pauseWriterThreshold: 64, resumeWriterThreshold: 32, useSynchronizationContext: false));
        private string? _closed;

        public FakeConnection()
        {
            Transport = new Duplex(_fromClient.Reader, _toClient.Writer);
        }

        public TaskCompletionSource Ended { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);

        public Task Run { get; set; } = Task.CompletedTask;

        public string? Closed => Volatile.Read(ref _closed);

        public override string ConnectionId { get; set; } = Guid.NewGuid().ToString("N");

        public override IFeatureCollection Features { get; } = new FeatureCollection();

        public override IDictionary<object, object?> Items { get; set; } = new Dictionary<object, object?>();

        public override IDuplexPipe Transport { get; set; }

        public override void Abort(ConnectionAbortedException abortReason) => Interlocked.CompareExchange(ref _closed, abortReason.Message, null);

        /// <summary>The client sends a frame and the server reads it, as the hub would.</summary>
        public async Task ReceiveAsync()
        {
            await _fromClient.Writer.WriteAsync("{\"type\":6}\u001e"u8.ToArray());
            var read = await Transport.Input.ReadAsync();
            Transport.Input.AdvanceTo(read.Buffer.End);
        }

        /// <summary>The server writes more than the client's buffer holds; the flush waits until the client reads.</summary>
        public Task SendUntilFull()
        {
            var flush = Transport.Output.WriteAsync(new byte[128]).AsTask();
            flush.IsCompleted.Should().BeFalse("the write is larger than the buffer");
            return flush;
        }

        public async Task DrainAsync()
        {
            var read = await _toClient.Reader.ReadAsync();
            _toClient.Reader.AdvanceTo(read.Buffer.End);
        }

        public async Task EndAsync()
        {
            Ended.TrySetResult();
            await Run;
        }

        private sealed class Duplex(PipeReader input, PipeWriter output) : IDuplexPipe
        {
            public PipeReader Input { get; } = input;

            public PipeWriter Output { get; } = output;
        }
    }
}
