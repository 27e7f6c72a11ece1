using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.CompilerServices;
using Chat.Server.Hosting;
using Chat.Server.Hubs.Internal;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.Options;

namespace Chat.Server.Hubs;

/// <summary>
/// The JSON hub protocol with a budget on what each connection sends. Calls to methods that do not
/// exist never reach hub filters, so this is where a flood of anything is seen: past the budget the
/// parse fails, and SignalR closes that one connection. (The binder is per connection, so it keys the budget.)
/// </summary>
public sealed class InboundGuardHubProtocol(IOptions<JsonHubProtocolOptions> jsonOptions, IOptions<ChatLimitsOptions> limits, ChatMetrics metrics, TimeProvider time) : IHubProtocol
{
    private readonly JsonHubProtocol _inner = new(jsonOptions);
    private readonly ConditionalWeakTable<IInvocationBinder, TokenBucket> _budgets = [];

    // Made once: a lambda capturing the options would be a new delegate on every parsed frame.
    private readonly ConditionalWeakTable<IInvocationBinder, TokenBucket>.CreateValueCallback _newBudget =
        _ => new TokenBucket(limits.Value.InboundBurst, time.GetTimestamp());

    public string Name => _inner.Name;

    public int Version => _inner.Version;

    public TransferFormat TransferFormat => _inner.TransferFormat;

    public bool IsVersionSupported(int version) => _inner.IsVersionSupported(version);

    public ReadOnlyMemory<byte> GetMessageBytes(HubMessage message) => _inner.GetMessageBytes(message);

    public void WriteMessage(HubMessage message, IBufferWriter<byte> output) => _inner.WriteMessage(message, output);

    public bool TryParseMessage(ref ReadOnlySequence<byte> input, IInvocationBinder binder, [NotNullWhen(true)] out HubMessage? message)
    {
        if (!_inner.TryParseMessage(ref input, binder, out message))
        {
            return false;
        }

        var budget = _budgets.GetValue(binder, _newBudget);
        bool allowed;
        lock (budget)
        {
            allowed = budget.TryTake(limits.Value.InboundMessagesPerSecond, limits.Value.InboundBurst, time);
        }

        if (!allowed)
        {
            metrics.Rejected("flood");
            throw new InvalidDataException("Too many messages; the connection is closed.");
        }

        return true;
    }
}
