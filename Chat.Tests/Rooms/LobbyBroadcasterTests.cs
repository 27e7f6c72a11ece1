using Chat.Protocol;
using Chat.Server.Rooms;
using Chat.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace Chat.Tests.Rooms;

/// <summary>
/// The lobby updates on a fake clock: the first change goes out at once, changes while a window is open
/// go out together when it ends, and no more than four updates a second reach the watchers.
/// </summary>
public sealed class LobbyBroadcasterTests : IAsyncLifetime
{
    private readonly WindowClock _time = new();
    private readonly RecordingHubContext _hub = new();
    private readonly InMemoryRoomRegistry _rooms = new();
    private readonly LobbyBroadcaster _lobby;

    public LobbyBroadcasterTests()
    {
        _lobby = new LobbyBroadcaster(_rooms, _hub.Context, _time, NullLogger<LobbyBroadcaster>.Instance);
    }

    public async Task InitializeAsync()
    {
        await _rooms.ConnectAsync("c1", "alice", "alice");
        await _rooms.ConnectAsync("c2", "bob", "bob");
        await _rooms.ConnectAsync("c3", "carol", "carol");
        await _lobby.StartAsync(CancellationToken.None);
    }

    public async Task DisposeAsync()
    {
        await _lobby.StopAsync(CancellationToken.None);
        _lobby.Dispose();
    }

    [Fact]
    public async Task The_first_change_goes_out_at_once()
    {
        await Join("c1", "general");

        (await Updates(1)).Should().Equal("general:1");
    }

    [Fact]
    public async Task Changes_within_the_window_go_out_as_one_update_when_it_ends()
    {
        await Join("c1", "general");
        await _time.Windows.WaitForCountAsync(1);

        await Join("c2", "general");
        await Join("c3", "random");
        _time.Advance(LobbyBroadcaster.MinInterval - TimeSpan.FromMilliseconds(1));
        Sent().Should().Equal(new[] { "general:1" }, "the window has not ended");

        _time.Advance(TimeSpan.FromMilliseconds(1));
        await _time.Windows.WaitForCountAsync(2);

        // The update is read when it goes out, so it carries every change folded into it.
        Sent().Should().Equal("general:1", "general:2 random:1");
    }

    [Fact]
    public async Task A_window_with_no_change_sends_nothing_and_the_next_change_goes_out_at_once()
    {
        await Join("c1", "general");
        await _time.Windows.WaitForCountAsync(1);

        _time.Advance(LobbyBroadcaster.MinInterval);
        _time.Advance(TimeSpan.FromSeconds(5));
        await Join("c2", "general");

        (await Updates(2)).Should().Equal("general:1", "general:2");
        Sent().Should().HaveCount(2);
    }

    [Fact]
    public async Task A_steady_stream_of_changes_reaches_watchers_at_most_four_times_a_second()
    {
        // A busy server changes rooms far more often than a lobby page can usefully redraw: every
        // watcher gets one update per window however many changes there were.
        var step = TimeSpan.FromMilliseconds(10);
        var start = _time.GetUtcNow();
        var nextWindowEnd = start;
        var windows = 0;
        // A change every step for one second, the clock stopping a step short of the fifth window.
        for (var i = 0; _time.GetUtcNow() - start + step < TimeSpan.FromSeconds(1); i++)
        {
            await Join("c1", $"room-{i}");
            if (_time.GetUtcNow() >= nextWindowEnd)
            {
                // The broadcaster sends and opens its next window; wait for it before moving the clock.
                await _time.Windows.WaitForCountAsync(++windows);
                nextWindowEnd = _time.GetUtcNow() + LobbyBroadcaster.MinInterval;
            }

            _time.Advance(step);
        }

        Sent().Should().HaveCount(4, "one second of changes");
        _time.Windows.Items.Zip(_time.Windows.Items.Skip(1), (first, next) => next - first)
            .Should().AllSatisfy(gap => gap.Should().BeGreaterThanOrEqualTo(LobbyBroadcaster.MinInterval));
    }

    private async Task Join(string connectionId, string room) => await _rooms.JoinAsync(connectionId, room, maxRoomsPerConnection: 1000);

    private async Task<IReadOnlyList<string>> Updates(int count)
    {
        await _hub.Sent.WaitForCountAsync(count);
        return Sent();
    }

    private IReadOnlyList<string> Sent() =>
        [.. _hub.Sent.Items
            .Where(sent => sent.Method == nameof(IChatClient.RoomsUpdated))
            .Select(sent => string.Join(" ", ((IReadOnlyList<LobbyRoom>)sent.Argument!).OrderBy(r => r.Name, StringComparer.Ordinal).Select(r => $"{r.Name}:{r.UserCount}")))];

    /// <summary>
    /// A fake clock that records when a timer is made on it: the broadcaster makes one as it opens each
    /// window, right after sending, so a test knows the send happened and the window is open before it
    /// moves the clock (a timer made after the clock moved would end later than the test expects).
    /// </summary>
    private sealed class WindowClock : FakeTimeProvider
    {
        public EventRecorder<DateTimeOffset> Windows { get; } = new();

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            var timer = base.CreateTimer(callback, state, dueTime, period);
            Windows.Add(GetUtcNow());
            return timer;
        }
    }
}
