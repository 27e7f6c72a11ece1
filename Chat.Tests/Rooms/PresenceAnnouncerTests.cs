using Chat.Protocol;
using Chat.Server.Rooms;
using Chat.Tests.Infrastructure;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Chat.Tests.Rooms;

/// <summary>The presence window on a fake clock: what goes out at once, what waits, and when it goes.</summary>
public sealed class PresenceAnnouncerTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(1);

    private readonly FakeTimeProvider _time = new();
    private readonly RecordingHubContext _hub = new();
    private readonly PresenceAnnouncer _presence;

    public PresenceAnnouncerTests()
    {
        _presence = new PresenceAnnouncer(
            _hub.Context,
            Options.Create(new RoomsOptions { PresenceIntervalMilliseconds = (int)Interval.TotalMilliseconds }),
            _time,
            NullLogger<PresenceAnnouncer>.Instance);
    }

    [Fact]
    public void The_first_change_in_a_quiet_room_goes_out_at_once()
    {
        _presence.Announce("general", "alice", joined: true);

        Changes().Should().Equal("alice joined");
    }

    [Fact]
    public void Changes_within_the_interval_go_out_together_in_order_when_it_ends()
    {
        _presence.Announce("general", "alice", joined: true);
        _presence.Announce("general", "bob", joined: true);
        _presence.Announce("general", "carol", joined: false);

        _time.Advance(Interval - TimeSpan.FromMilliseconds(1));
        Changes().Should().Equal(new[] { "alice joined" }, "the interval has not ended");

        _time.Advance(TimeSpan.FromMilliseconds(1));
        Changes().Should().Equal("alice joined", "bob joined, carol left");
    }

    [Fact]
    public void A_steady_stream_stays_batched_and_a_quiet_interval_ends_the_window()
    {
        _presence.Announce("general", "alice", joined: true);
        _presence.Announce("general", "bob", joined: true);
        _time.Advance(Interval);

        _presence.Announce("general", "carol", joined: true);
        Changes().Should().Equal(new[] { "alice joined", "bob joined" }, "the window stays open after sending a batch");
        _time.Advance(Interval);
        Changes().Should().Equal("alice joined", "bob joined", "carol joined");

        _time.Advance(Interval);
        _presence.Announce("general", "dave", joined: true);
        Changes().Should().Equal(new[] { "alice joined", "bob joined", "carol joined", "dave joined" }, "a quiet interval closed the window");
    }

    [Fact]
    public void Flush_sends_what_is_pending_before_the_interval_ends()
    {
        _presence.Announce("general", "alice", joined: true);
        _presence.Announce("general", "bob", joined: true);

        _presence.Flush("general");
        Changes().Should().Equal("alice joined", "bob joined");

        _time.Advance(Interval);
        Changes().Should().HaveCount(2, "nothing was left to send");
    }

    [Fact]
    public void Each_room_has_its_own_window()
    {
        _presence.Announce("general", "alice", joined: true);
        _presence.Announce("random", "alice", joined: true);

        Changes().Should().Equal("alice joined", "alice joined");
        _hub.Sent.Items.Select(sent => ((RoomMembersChanged)sent.Argument!).Room).Should().Equal("general", "random");
    }

    [Fact]
    public void No_interval_sends_every_change_at_once()
    {
        var presence = new PresenceAnnouncer(_hub.Context, Options.Create(new RoomsOptions { PresenceIntervalMilliseconds = 0 }), _time, NullLogger<PresenceAnnouncer>.Instance);

        presence.Announce("general", "alice", joined: true);
        presence.Announce("general", "bob", joined: true);

        Changes().Should().Equal("alice joined", "bob joined");
    }

    private IReadOnlyList<string> Changes() =>
        [.. _hub.Sent.Items
            .Where(sent => sent.Method == nameof(IChatClient.MembersChanged))
            .Select(sent => string.Join(", ", ((RoomMembersChanged)sent.Argument!).Changes.Select(c => $"{c.Nickname} {(c.Joined ? "joined" : "left")}")))];
}
