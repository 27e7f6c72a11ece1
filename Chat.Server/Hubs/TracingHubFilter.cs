using System.Collections.Frozen;
using System.Diagnostics;
using Chat.Protocol;
using Chat.Server.Hosting;
using Microsoft.AspNetCore.SignalR;

namespace Chat.Server.Hubs;

/// <summary>
/// A span per hub invocation, named <c>ChatHub/{method}</c>, outermost of the hub's filters so a refused
/// call is traced too. Its attributes are the method and the outcome: no arguments (room names,
/// nicknames and text stay out of traces). Without a tracer listening it only asks whether one does.
/// </summary>
public sealed class TracingHubFilter : IHubFilter
{
    private const string HubName = "ChatHub";

    // Made once: every method a client can reach (others never get past the protocol's binder).
    private static readonly FrozenDictionary<string, string> SpanNames =
        typeof(IChatHub).GetMethods().Select(method => method.Name).Distinct().ToFrozenDictionary(name => name, name => $"{HubName}/{name}");

    public ValueTask<object?> InvokeMethodAsync(HubInvocationContext invocationContext, Func<HubInvocationContext, ValueTask<object?>> next) =>
        ChatActivities.Source.HasListeners() ? TraceAsync(invocationContext, next) : next(invocationContext);

    private static async ValueTask<object?> TraceAsync(HubInvocationContext invocationContext, Func<HubInvocationContext, ValueTask<object?>> next)
    {
        var method = invocationContext.HubMethodName;
        using var activity = ChatActivities.Source.StartActivity(SpanNames.GetValueOrDefault(method) ?? $"{HubName}/{method}", ActivityKind.Server);
        activity?.SetTag("rpc.system", "signalr");
        activity?.SetTag("rpc.service", HubName);
        activity?.SetTag("rpc.method", method);
        try
        {
            return await next(invocationContext);
        }
        catch (Exception ex)
        {
            // A HubException is a refusal worded for a person; its type says enough here.
            activity?.SetTag("error.type", ex.GetType().Name);
            activity?.SetStatus(ActivityStatusCode.Error, ex is HubException ? "refused" : ex.GetType().Name);
            throw;
        }
    }
}
