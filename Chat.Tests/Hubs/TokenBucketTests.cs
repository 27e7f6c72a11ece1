using Chat.Server.Hubs.Internal;
using Microsoft.Extensions.Time.Testing;

namespace Chat.Tests.Hubs;

/// <summary>The rate limits' token bucket on a fake clock: a burst, then the refill rate.</summary>
public sealed class TokenBucketTests
{
    private readonly FakeTimeProvider _time = new();

    [Fact]
    public void A_burst_passes_and_the_next_call_is_refused()
    {
        var bucket = new TokenBucket(3, _time.GetTimestamp());

        Enumerable.Range(0, 3).Select(_ => bucket.TryTake(2, 3, _time)).ToList().Should().AllSatisfy(passed => passed.Should().BeTrue());
        bucket.TryTake(2, 3, _time).Should().BeFalse();
    }

    [Fact]
    public void Tokens_come_back_at_the_rate_per_second()
    {
        var bucket = new TokenBucket(3, _time.GetTimestamp());
        for (var i = 0; i < 3; i++)
        {
            bucket.TryTake(2, 3, _time);
        }

        _time.Advance(TimeSpan.FromMilliseconds(499));
        bucket.TryTake(2, 3, _time).Should().BeFalse("at 2 per second a token takes half a second");

        _time.Advance(TimeSpan.FromMilliseconds(1));
        bucket.TryTake(2, 3, _time).Should().BeTrue();
        bucket.TryTake(2, 3, _time).Should().BeFalse();
    }

    [Fact]
    public void A_long_quiet_spell_refills_no_more_than_the_burst()
    {
        var bucket = new TokenBucket(3, _time.GetTimestamp());
        bucket.TryTake(2, 3, _time);

        _time.Advance(TimeSpan.FromHours(1));

        Enumerable.Range(0, 4).Select(_ => bucket.TryTake(2, 3, _time)).ToList().Should().Equal(true, true, true, false);
    }
}
