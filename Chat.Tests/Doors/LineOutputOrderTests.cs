using Chat.Protocol;
using Chat.Protocol.Receiving;
using Chat.Server.Doors.Internal;
using Chat.Tests.Infrastructure;

namespace Chat.Tests.Doors;

/// <summary>
/// A line door's output (<c>/ws</c>, TCP) as the hub's events reach it: each room's messages are written
/// once and in <c>seq</c> order, whatever order they come in, and a gap that does not close by itself is
/// filled from the store.
/// </summary>
public sealed class LineOutputOrderTests : IAsyncLifetime
{
    private const string Room = "general";

    private readonly TimerRecordingTimeProvider _time = new();
    private readonly EventRecorder<long> _fetchedAfter = new();
    private readonly RecordingWriter _writer = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly LineOutput _output;
    private long[] _store = [];
    private Task _pump = Task.CompletedTask;

    public LineOutputOrderTests() => _output = new LineOutput(_writer, MissedSinceAsync, _time);

    public Task InitializeAsync()
    {
        _pump = _output.RunAsync(_stop.Token);
        return Task.CompletedTask;
    }

    public async Task DisposeAsync()
    {
        _output.Complete();
        await _pump.WaitAsync(TimeSpan.FromSeconds(10));
        _stop.Dispose();
    }

    [Fact]
    public async Task Messages_that_overtake_each_other_are_written_in_seq_order()
    {
        await _output.JoinedAsync(Snapshot(lastSeq: 0));

        await OfferAsync(2, 4, 1, 3);

        (await _writer.Messages.WaitForCountAsync(4)).Should().Equal("live 1", "live 2", "live 3", "live 4");
        _fetchedAfter.Items.Should().BeEmpty("every gap closed by itself");
    }

    [Fact]
    public async Task Repeats_are_written_once_before_and_after_the_join_answer()
    {
        // 5 and 6 arrive while the join is in flight; its snapshot already has 5.
        await OfferAsync(6, 5);
        await _output.JoinedAsync(Snapshot(lastSeq: 5, 4, 5));
        await OfferAsync(6, 5, 7, 6);

        (await _writer.Messages.WaitForCountAsync(4)).Should().Equal("history 4", "history 5", "live 6", "live 7");
        await _output.SystemAsync("end");
        await _writer.Lines.WaitForAsync(line => line == "end");
        _writer.Messages.Items.Should().HaveCount(4);
    }

    [Fact]
    public async Task A_gap_that_does_not_close_is_filled_from_a_store_page_after_the_wait()
    {
        _store = [1, 2, 3, 4];
        await _output.JoinedAsync(Snapshot(lastSeq: 0));
        await OfferAsync(1, 4);
        await _writer.Messages.WaitForCountAsync(1);
        await _time.Timers.WaitForAsync(due => due == RoomCatchUp.GapWait);
        _fetchedAfter.Items.Should().BeEmpty("a gap gets its chance to close by itself");

        _time.Advance(RoomCatchUp.GapWait);

        (await _writer.Messages.WaitForCountAsync(4)).Should().Equal("live 1", "live 2", "live 3", "live 4");
        _fetchedAfter.Items.Should().Equal(1);

        // What the page brought is not written again when it arrives live.
        await OfferAsync(3, 5);
        (await _writer.Messages.WaitForCountAsync(5)).Should().Equal("live 1", "live 2", "live 3", "live 4", "live 5");
    }

    [Fact]
    public async Task A_page_for_a_room_left_meanwhile_is_not_written()
    {
        _store = [1, 2, 3];
        await _output.JoinedAsync(Snapshot(lastSeq: 0));
        await OfferAsync(1, 3);
        await _time.Timers.WaitForCountAsync(1);
        await _output.LeftAsync(Room, "left");
        await _writer.Lines.WaitForAsync(line => line == "left");

        _time.Advance(RoomCatchUp.GapWait);
        await _fetchedAfter.WaitForCountAsync(1);
        await _output.SystemAsync("end");
        await _writer.Lines.WaitForAsync(line => line == "end");

        _writer.Messages.Items.Should().Equal("live 1");
    }

    private async Task OfferAsync(params long[] seqs)
    {
        foreach (var seq in seqs)
        {
            await _output.MessageAsync(Message(seq));
        }
    }

    private Task<IReadOnlyList<ChatMessage>> MissedSinceAsync(string room, long afterSeq, CancellationToken cancellationToken)
    {
        _fetchedAfter.Add(afterSeq);
        return Task.FromResult<IReadOnlyList<ChatMessage>>([.. _store.Where(seq => seq > afterSeq).Select(Message)]);
    }

    private static RoomSnapshot Snapshot(long lastSeq, params long[] messages) =>
        new(Room, ["alice", "dora"], [.. messages.Select(Message)], lastSeq);

    private static ChatMessage Message(long seq) => new($"m{seq}", Room, seq, "alice", $"text {seq}", DateTimeOffset.UnixEpoch);

    /// <summary>What the door wrote: messages as <c>live 7</c> or <c>history 7</c>, every other line as its text.</summary>
    private sealed class RecordingWriter : ILineWriter
    {
        public EventRecorder<string> Messages { get; } = new();

        public EventRecorder<string> Lines { get; } = new();

        public ValueTask MessageAsync(ChatMessage message, bool earlier, CancellationToken cancellationToken)
        {
            Messages.Add($"{(earlier ? "history" : "live")} {message.Seq}");
            return ValueTask.CompletedTask;
        }

        public ValueTask DirectAsync(DirectMessage message, CancellationToken cancellationToken) => Write(message.Text);

        public ValueTask SystemAsync(string text, string? kind, CancellationToken cancellationToken) => Write(text);

        public ValueTask RoomChangedAsync(RoomEvent change, string text, CancellationToken cancellationToken) => Write(text);

        public ValueTask InvitedAsync(RoomInvitation invitation, string text, CancellationToken cancellationToken) => Write(text);

        public ValueTask ErrorAsync(string text, CancellationToken cancellationToken) => Write(text);

        private ValueTask Write(string text)
        {
            Lines.Add(text);
            return ValueTask.CompletedTask;
        }
    }
}
