using System.Security.Claims;
using Chat.Protocol;
using Chat.Server.Admin;
using Chat.Server.Hosting;
using Chat.Server.Hubs;
using Chat.Tests.Infrastructure;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Chat.Tests.Hubs;

/// <summary>
/// The hub's per-connection rate limits on a fake clock: which calls pass, the "slow down" refusal, and
/// the strike window after which a connection that keeps going over is closed.
/// </summary>
public sealed class RateLimitFilterTests : IDisposable
{
    private static readonly TimeSpan StrikeWindow = TimeSpan.FromSeconds(10);

    private readonly FakeTimeProvider _time = new();
    private readonly RecordedMetrics _recorded = new();
    private readonly Hub _hub = new NoHub();
    private int _passed;

    public void Dispose() => _recorded.Dispose();

    [Fact]
    public async Task Sends_past_the_burst_get_the_slow_down_sentence_and_never_reach_the_hub()
    {
        var filter = Filter(new ChatLimitsOptions { SendBurst = 3, SendsPerSecond = 1 });
        var alice = new FakeCallerContext();

        for (var i = 0; i < 3; i++)
        {
            await Call(filter, alice, nameof(IChatHub.SendMessage));
        }

        var refused = () => Call(filter, alice, nameof(IChatHub.SendMessage));

        (await refused.Should().ThrowAsync<HubException>()).Which.Message.Should().Be(RateLimitFilter.SlowDown);
        _passed.Should().Be(3);
        _recorded.Rejections.Should().Equal("rate_limit");
        alice.Aborts.Should().Be(0, "one refusal is not a flood");
    }

    [Fact]
    public async Task A_refused_sender_is_let_through_again_at_the_refill_rate()
    {
        var filter = Filter(new ChatLimitsOptions { SendBurst = 1, SendsPerSecond = 2 });
        var alice = new FakeCallerContext();
        await Call(filter, alice, nameof(IChatHub.SendMessage));
        await TryCall(filter, alice, nameof(IChatHub.SendMessage));

        _time.Advance(TimeSpan.FromMilliseconds(499));
        (await TryCall(filter, alice, nameof(IChatHub.SendMessage))).Should().BeFalse("at 2 a second the next token takes half a second");
        _time.Advance(TimeSpan.FromMilliseconds(1));
        (await TryCall(filter, alice, nameof(IChatHub.SendMessage))).Should().BeTrue();
    }

    [Fact]
    public async Task Direct_messages_share_the_send_limit_while_joins_and_other_calls_have_their_own()
    {
        // A flood of messages must not stop the sender from leaving a room or listing rooms, and the
        // limit on messages cannot be dodged by switching to direct messages.
        var filter = Filter(new ChatLimitsOptions { SendBurst = 1, JoinBurst = 1, CallBurst = 1 });
        var alice = new FakeCallerContext();
        await Call(filter, alice, nameof(IChatHub.SendMessage));

        (await TryCall(filter, alice, nameof(IChatHub.SendDirect))).Should().BeFalse();
        (await TryCall(filter, alice, nameof(IChatHub.Join))).Should().BeTrue();
        (await TryCall(filter, alice, nameof(IChatHub.Join))).Should().BeFalse();
        (await TryCall(filter, alice, nameof(IChatHub.ListRooms))).Should().BeTrue();
        (await TryCall(filter, alice, nameof(IChatHub.Leave))).Should().BeFalse("every other call shares one limit");
    }

    [Fact]
    public async Task Typing_over_its_limit_is_dropped_silently()
    {
        // A typing notice has no answer a client would show; refusing it loudly would only make noise.
        var filter = Filter(new ChatLimitsOptions { CallBurst = 1 });
        var alice = new FakeCallerContext();
        await Call(filter, alice, nameof(IChatHub.Typing));

        var result = await Call(filter, alice, nameof(IChatHub.Typing));

        result.Should().BeNull();
        _passed.Should().Be(1);
        _recorded.Rejections.Should().Equal("rate_limit");
    }

    [Fact]
    public async Task Each_connection_has_its_own_limits()
    {
        var filter = Filter(new ChatLimitsOptions { SendBurst = 1, MaxStrikes = 1 });
        var flooder = new FakeCallerContext();
        var alice = new FakeCallerContext();
        await Call(filter, flooder, nameof(IChatHub.SendMessage));
        await TryCall(filter, flooder, nameof(IChatHub.SendMessage));
        await TryCall(filter, flooder, nameof(IChatHub.SendMessage));

        (await TryCall(filter, alice, nameof(IChatHub.SendMessage))).Should().BeTrue();
        flooder.Aborts.Should().Be(1);
        alice.Aborts.Should().Be(0);
        _recorded.Activity.Latest().Should().ContainSingle(entry => entry.Kind == RecentActivity.Flood && entry.ConnectionId == flooder.ConnectionId, "the admin screen lists the flood");
    }

    [Fact]
    public async Task A_connection_refused_more_than_MaxStrikes_times_within_the_window_is_closed()
    {
        var filter = Filter(new ChatLimitsOptions { SendBurst = 1, SendsPerSecond = 0.1, MaxStrikes = 3, StrikeWindowSeconds = (int)StrikeWindow.TotalSeconds });
        var flooder = new FakeCallerContext();
        await Call(filter, flooder, nameof(IChatHub.SendMessage));
        for (var i = 0; i < 3; i++)
        {
            await TryCall(filter, flooder, nameof(IChatHub.SendMessage));
        }

        flooder.Aborts.Should().Be(0, "MaxStrikes refusals are allowed");

        _time.Advance(StrikeWindow - TimeSpan.FromMilliseconds(1));
        var fourth = () => Call(filter, flooder, nameof(IChatHub.SendMessage));

        (await fourth.Should().ThrowAsync<HubException>()).Which.Message.Should().Be(RateLimitFilter.SlowDown, "the call that tips it over is still answered");
        flooder.Aborts.Should().Be(1);
        _recorded.Rejections.Should().Equal("rate_limit", "rate_limit", "rate_limit", "rate_limit", "flood");
    }

    [Fact]
    public async Task Strikes_older_than_the_window_are_forgotten()
    {
        // A client that bumps into the limit now and then is not a flooder: only refusals close
        // together add up to closing the connection.
        var filter = Filter(new ChatLimitsOptions { SendBurst = 1, SendsPerSecond = 0.1, MaxStrikes = 2, StrikeWindowSeconds = (int)StrikeWindow.TotalSeconds });
        var alice = new FakeCallerContext();
        await Call(filter, alice, nameof(IChatHub.SendMessage));
        await TryCall(filter, alice, nameof(IChatHub.SendMessage));
        await TryCall(filter, alice, nameof(IChatHub.SendMessage));

        _time.Advance(StrikeWindow + TimeSpan.FromMilliseconds(1));
        (await TryCall(filter, alice, nameof(IChatHub.SendMessage))).Should().BeTrue("at 0.1 a second the window refilled one token");
        await TryCall(filter, alice, nameof(IChatHub.SendMessage));
        await TryCall(filter, alice, nameof(IChatHub.SendMessage));

        alice.Aborts.Should().Be(0, "two strikes are in the current window and two fell out of it");
        await TryCall(filter, alice, nameof(IChatHub.SendMessage));
        alice.Aborts.Should().Be(1, "a third strike in the same window is over MaxStrikes");
    }

    [Fact]
    public async Task A_hub_method_refusing_a_call_is_counted_as_invalid_and_the_refusal_passes_through()
    {
        var filter = Filter(new ChatLimitsOptions());
        var alice = new FakeCallerContext();
        var context = Invocation(alice, nameof(IChatHub.Join));

        var call = async () => await filter.InvokeMethodAsync(context, _ => throw new HubException("That room name is not allowed."));

        (await call.Should().ThrowAsync<HubException>()).Which.Message.Should().Be("That room name is not allowed.");
        _recorded.Rejections.Should().Equal("invalid");
    }

    private RateLimitFilter Filter(ChatLimitsOptions limits) =>
        new(Options.Create(limits), _recorded.Metrics, _recorded.Activity, _time, NullLogger<RateLimitFilter>.Instance);

    private async Task<object?> Call(RateLimitFilter filter, HubCallerContext connection, string method) =>
        await filter.InvokeMethodAsync(Invocation(connection, method), _ =>
        {
            _passed++;
            return ValueTask.FromResult<object?>(method);
        });

    /// <summary>True when the call reached the hub, false when it was refused with "slow down".</summary>
    private async Task<bool> TryCall(RateLimitFilter filter, HubCallerContext connection, string method)
    {
        try
        {
            await Call(filter, connection, method);
            return true;
        }
        catch (HubException ex) when (ex.Message == RateLimitFilter.SlowDown)
        {
            return false;
        }
    }

    private HubInvocationContext Invocation(HubCallerContext connection, string method) =>
        new(connection, _recorded.Services, _hub, typeof(IChatHub).GetMethod(method)!, []);

    /// <summary>The filter only reads the method's name; the hub it would run on is never touched.</summary>
    private sealed class NoHub : Hub;

    /// <summary>One connection, as the filter sees it: counts the times it was told to close.</summary>
    private sealed class FakeCallerContext : HubCallerContext
    {
        public int Aborts { get; private set; }

        public override string ConnectionId { get; } = Guid.NewGuid().ToString("N");

        public override string? UserIdentifier => null;

        public override ClaimsPrincipal? User => null;

        public override IDictionary<object, object?> Items { get; } = new Dictionary<object, object?>();

        public override IFeatureCollection Features { get; } = new FeatureCollection();

        public override CancellationToken ConnectionAborted => CancellationToken.None;

        public override void Abort() => Aborts++;
    }
}
