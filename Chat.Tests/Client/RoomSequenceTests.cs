using Chat.Client.Internal;
using Chat.Protocol;

namespace Chat.Tests.Client;

public sealed class RoomSequenceTests
{
    private readonly List<long> _delivered = [];
    private readonly RoomSequence _sequence;

    public RoomSequenceTests()
    {
        _sequence = new RoomSequence("general", message => _delivered.Add(message.Seq));
    }

    [Fact]
    public void Messages_that_arrive_before_the_join_answer_wait_for_it_and_repeats_are_dropped()
    {
        _sequence.Offer(Message(11));
        _sequence.Offer(Message(10));
        _delivered.Should().BeEmpty("the starting point is not known yet");

        _sequence.Start(lastSeq: 10);

        _delivered.Should().Equal(11L);
        _sequence.Offer(Message(11)).Should().Be(0);
        _delivered.Should().Equal(11L);
    }

    [Fact]
    public void A_message_ahead_of_a_gap_waits_until_the_gap_is_filled_then_all_go_in_order()
    {
        _sequence.Start(lastSeq: 0);
        _sequence.Offer(Message(1));
        _sequence.Offer(Message(4));
        _sequence.HasGap.Should().BeTrue();
        _delivered.Should().Equal(1L);

        var filled = _sequence.Offer([Message(2), Message(3), Message(4)]);

        filled.Should().Be(3);
        _delivered.Should().Equal(1L, 2L, 3L, 4L);
        _sequence.HasGap.Should().BeFalse();
        _sequence.LastDelivered.Should().Be(4);
    }

    [Fact]
    public void A_rejoin_keeps_the_older_starting_point_so_missed_messages_are_caught_up()
    {
        _sequence.Start(lastSeq: 5);
        _sequence.Start(lastSeq: 9);

        _sequence.Offer(Message(10));
        _delivered.Should().BeEmpty("6 to 9 were missed and must come first");
        _sequence.Offer([Message(6), Message(7), Message(8), Message(9)]);
        _delivered.Should().Equal(6L, 7L, 8L, 9L, 10L);
    }

    [Fact]
    public void A_room_whose_history_was_reset_starts_again_from_the_new_snapshot()
    {
        _sequence.Start(lastSeq: 40);
        _sequence.Start(lastSeq: 0);

        _sequence.Offer(Message(1));

        _delivered.Should().Equal(1L);
    }

    [Fact]
    public void Numbers_the_store_does_not_have_are_stepped_over_instead_of_waited_for()
    {
        _sequence.Start(lastSeq: 3);
        _sequence.Offer(Message(7));

        var delivered = _sequence.OfferFromStore([Message(6), Message(7), Message(8)]);

        delivered.Should().Be(3);
        _delivered.Should().Equal(6L, 7L, 8L);
        _sequence.HasGap.Should().BeFalse();
    }

    [Fact]
    public void Messages_already_delivered_in_a_store_page_are_not_delivered_again()
    {
        _sequence.Start(lastSeq: 0);
        _sequence.Offer([Message(1), Message(2)]);

        _sequence.OfferFromStore([Message(1), Message(2), Message(3)]).Should().Be(1);
        _delivered.Should().Equal(1L, 2L, 3L);
    }

    private static ChatMessage Message(long seq) => new($"m{seq}", "general", seq, "alice", $"text {seq}", DateTimeOffset.UnixEpoch);
}
