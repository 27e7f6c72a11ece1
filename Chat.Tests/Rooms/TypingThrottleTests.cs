using Chat.Server.Rooms;
using Microsoft.Extensions.Time.Testing;

namespace Chat.Tests.Rooms;

/// <summary>The typing throttle on a fake clock: at most one notice per user and room per interval.</summary>
public sealed class TypingThrottleTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void The_first_notice_passes_and_the_rest_of_the_interval_is_dropped()
    {
        var throttle = new TypingThrottle(_time);

        throttle.TryPass("alice", "general").Should().BeTrue();
        throttle.TryPass("alice", "general").Should().BeFalse();
        _time.Advance(TypingThrottle.Interval - TimeSpan.FromMilliseconds(1));
        throttle.TryPass("alice", "general").Should().BeFalse("the interval has not ended yet");
    }

    [Fact]
    public void A_notice_passes_again_once_the_interval_has_ended()
    {
        var throttle = new TypingThrottle(_time);
        throttle.TryPass("alice", "general").Should().BeTrue();

        _time.Advance(TypingThrottle.Interval);

        throttle.TryPass("alice", "general").Should().BeTrue();
        throttle.TryPass("alice", "general").Should().BeFalse("a new interval started with the notice that passed");
    }

    [Fact]
    public void Each_user_and_room_has_its_own_interval()
    {
        var throttle = new TypingThrottle(_time);
        throttle.TryPass("alice", "general").Should().BeTrue();

        throttle.TryPass("bob", "general").Should().BeTrue("another user");
        throttle.TryPass("alice", "random").Should().BeTrue("another room");
    }

    [Fact]
    public void Forgetting_a_room_lets_the_next_notice_pass_at_once()
    {
        var throttle = new TypingThrottle(_time);
        throttle.TryPass("alice", "general").Should().BeTrue();

        throttle.Forget("alice", "general");

        throttle.TryPass("alice", "general").Should().BeTrue();
    }
}
