using Chat.Protocol;
using Chat.Protocol.Receiving;
using Chat.Tests.Infrastructure;

namespace Chat.Tests.Protocol;

/// <summary>The gap fill the .NET client and the doors share: a gap is fetched only when it does not close by itself.</summary>
public sealed class RoomCatchUpTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    private readonly TimerRecordingTimeProvider _time = new();
    private readonly EventRecorder<long> _fetchedAfter = new();
    private readonly List<long> _delivered = [];
    private readonly RoomSequence _sequence;

    public RoomCatchUpTests() => _sequence = new RoomSequence("general", message => _delivered.Add(message.Seq));

    [Fact]
    public async Task A_gap_that_does_not_close_within_the_wait_is_fetched_from_the_store()
    {
        _sequence.Start(0);
        _sequence.Offer([Message(1), Message(3)]);

        var fill = FillAsync(store: [1, 2, 3]);
        await _time.Timers.WaitForAsync(due => due == RoomCatchUp.GapWait);
        _fetchedAfter.Items.Should().BeEmpty("nothing is fetched before the wait is over");
        _time.Advance(RoomCatchUp.GapWait);
        await fill.WaitAsync(Timeout);

        _fetchedAfter.Items.Should().Equal(1);
        _delivered.Should().Equal(1, 2, 3);
        _sequence.HasGap.Should().BeFalse();
    }

    [Fact]
    public async Task A_gap_that_closes_by_itself_within_the_wait_costs_no_call()
    {
        _sequence.Start(0);
        _sequence.Offer([Message(1), Message(3)]);

        var fill = FillAsync(store: [1, 2, 3]);
        await _time.Timers.WaitForAsync(due => due == RoomCatchUp.GapWait);
        _sequence.Offer(Message(2));
        _time.Advance(RoomCatchUp.GapWait);
        await fill.WaitAsync(Timeout);

        _fetchedAfter.Items.Should().BeEmpty();
        _delivered.Should().Equal(1, 2, 3);
    }

    [Fact]
    public async Task A_gap_still_moving_by_itself_waits_again_before_it_is_fetched()
    {
        _sequence.Start(0);
        _sequence.Offer([Message(1), Message(3), Message(5)]);

        var fill = FillAsync(store: [1, 2, 3, 4, 5]);
        await _time.Timers.WaitForCountAsync(1);
        _sequence.Offer(Message(2));
        _time.Advance(RoomCatchUp.GapWait);

        // 1-3 delivered meanwhile: the wait starts again for the gap at 4.
        await _time.Timers.WaitForCountAsync(2);
        _fetchedAfter.Items.Should().BeEmpty();
        _time.Advance(RoomCatchUp.GapWait);
        await fill.WaitAsync(Timeout);

        _fetchedAfter.Items.Should().Equal(3);
        _delivered.Should().Equal(1, 2, 3, 4, 5);
    }

    [Fact]
    public async Task Only_one_fill_runs_for_a_room_at_a_time()
    {
        _sequence.Start(0);
        _sequence.Offer([Message(1), Message(3)]);

        var first = FillAsync(store: [1, 2, 3]);
        await _time.Timers.WaitForCountAsync(1);
        await FillAsync(store: [1, 2, 3]).WaitAsync(Timeout);
        _time.Advance(RoomCatchUp.GapWait);
        await first.WaitAsync(Timeout);

        _fetchedAfter.Items.Should().Equal(1);
        _time.Timers.Items.Should().HaveCount(1);
    }

    private Task FillAsync(long[] store) => RoomCatchUp.FillGapAsync(
        _sequence,
        (room, afterSeq, _) =>
        {
            _fetchedAfter.Add(afterSeq);
            return Task.FromResult<IReadOnlyList<ChatMessage>>([.. store.Where(seq => seq > afterSeq).Select(Message)]);
        },
        page => ValueTask.FromResult(_sequence.OfferFromStore(page)),
        _time);

    private static ChatMessage Message(long seq) => new($"m{seq}", "general", seq, "alice", $"text {seq}", DateTimeOffset.UnixEpoch);
}
