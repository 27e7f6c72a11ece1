using System.Buffers;
using System.Text;
using Chat.Server.Hosting;
using Chat.Server.Hubs;
using Chat.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace Chat.Tests.Hubs;

/// <summary>
/// The inbound frame budget on a fake clock: a connection may send InboundBurst frames at once and
/// InboundMessagesPerSecond after that, whatever the frames are; the frame past the budget fails to parse,
/// which closes that connection, and every connection has its own budget.
/// </summary>
public sealed class InboundGuardHubProtocolTests : IDisposable
{
    private const string Ping = "{\"type\":6}\u001e";
    private const string UnknownCall = "{\"type\":1,\"target\":\"NoSuchMethod\",\"arguments\":[]}\u001e";

    private readonly FakeTimeProvider _time = new();
    private readonly RecordedMetrics _recorded = new();

    public void Dispose() => _recorded.Dispose();

    [Fact]
    public void A_connection_may_send_InboundBurst_frames_at_once_and_the_next_one_fails_and_is_counted_as_a_flood()
    {
        var protocol = Protocol(new ChatLimitsOptions { InboundBurst = 3, InboundMessagesPerSecond = 1 });
        var alice = new Binder();

        for (var i = 0; i < 3; i++)
        {
            Parse(protocol, alice, Ping).Should().BeOfType<PingMessage>();
        }

        var fourth = () => Parse(protocol, alice, Ping);

        fourth.Should().Throw<InvalidDataException>();
        _recorded.Rejections.Should().Equal("flood");
    }

    [Fact]
    public void Frames_come_back_at_InboundMessagesPerSecond()
    {
        var protocol = Protocol(new ChatLimitsOptions { InboundBurst = 2, InboundMessagesPerSecond = 10 });
        var alice = new Binder();
        Parse(protocol, alice, Ping);
        Parse(protocol, alice, Ping);

        _time.Advance(TimeSpan.FromMilliseconds(99));
        Allowed(protocol, alice, Ping).Should().BeFalse("at 10 a second a frame takes a tenth of a second");

        _time.Advance(TimeSpan.FromMilliseconds(1));
        Allowed(protocol, alice, Ping).Should().BeTrue();
        Allowed(protocol, alice, Ping).Should().BeFalse("only one frame came back");
    }

    [Fact]
    public void A_long_quiet_spell_allows_no_more_than_InboundBurst_at_once()
    {
        var protocol = Protocol(new ChatLimitsOptions { InboundBurst = 2, InboundMessagesPerSecond = 10 });
        var alice = new Binder();
        Parse(protocol, alice, Ping);

        _time.Advance(TimeSpan.FromHours(1));

        Allowed(protocol, alice, Ping).Should().BeTrue();
        Allowed(protocol, alice, Ping).Should().BeTrue();
        Allowed(protocol, alice, Ping).Should().BeFalse("an hour of quiet is still only a burst");
    }

    [Fact]
    public void Calls_to_methods_that_do_not_exist_use_the_budget_like_any_frame()
    {
        // Such calls never reach the hub's filters, so this budget is all that stops a flood of them.
        var protocol = Protocol(new ChatLimitsOptions { InboundBurst = 2, InboundMessagesPerSecond = 1 });
        var alice = new Binder();

        Parse(protocol, alice, UnknownCall).Should().BeOfType<InvocationBindingFailureMessage>();
        Parse(protocol, alice, Ping);

        Allowed(protocol, alice, UnknownCall).Should().BeFalse();
        _recorded.Rejections.Should().Equal("flood");
    }

    [Fact]
    public void Each_connection_has_its_own_budget()
    {
        var protocol = Protocol(new ChatLimitsOptions { InboundBurst = 1, InboundMessagesPerSecond = 1 });
        var flooder = new Binder();
        var alice = new Binder();
        Parse(protocol, flooder, Ping);
        Allowed(protocol, flooder, Ping).Should().BeFalse();

        Allowed(protocol, alice, Ping).Should().BeTrue("another connection's flood takes nothing from hers");
    }

    [Fact]
    public void A_frame_that_has_not_fully_arrived_takes_nothing_from_the_budget()
    {
        var protocol = Protocol(new ChatLimitsOptions { InboundBurst = 1, InboundMessagesPerSecond = 1 });
        var alice = new Binder();
        var partial = new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(Ping[..^1]));

        for (var i = 0; i < 5; i++)
        {
            protocol.TryParseMessage(ref partial, alice, out _).Should().BeFalse();
        }

        Allowed(protocol, alice, Ping).Should().BeTrue();
    }

    private InboundGuardHubProtocol Protocol(ChatLimitsOptions limits) =>
        new(Options.Create(new JsonHubProtocolOptions()), Options.Create(limits), _recorded.Metrics, _time);

    private static HubMessage Parse(InboundGuardHubProtocol protocol, IInvocationBinder connection, string frame)
    {
        var input = new ReadOnlySequence<byte>(Encoding.UTF8.GetBytes(frame));
        protocol.TryParseMessage(ref input, connection, out var message).Should().BeTrue();
        input.Length.Should().Be(0);
        return message!;
    }

    /// <summary>True when the frame parsed, false when it was past the budget.</summary>
    private static bool Allowed(InboundGuardHubProtocol protocol, IInvocationBinder connection, string frame)
    {
        try
        {
            Parse(protocol, connection, frame);
            return true;
        }
        catch (InvalidDataException)
        {
            return false;
        }
    }

    /// <summary>One connection's binder (SignalR makes one per connection); it knows no methods.</summary>
    private sealed class Binder : IInvocationBinder
    {
        public IReadOnlyList<Type> GetParameterTypes(string methodName) => throw new HubException($"Method '{methodName}' does not exist.");

        public Type GetReturnType(string invocationId) => throw new InvalidOperationException();

        public Type GetStreamItemType(string streamId) => throw new InvalidOperationException();
    }
}
