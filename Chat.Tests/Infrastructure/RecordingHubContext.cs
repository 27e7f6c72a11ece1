using System.Reflection;
using Chat.Protocol;
using Chat.Server.Hubs;
using Microsoft.AspNetCore.SignalR;

namespace Chat.Tests.Infrastructure;

/// <summary>
/// An <see cref="IHubContext{THub, T}"/> for unit tests of server classes that send through the hub: every
/// event sent, to anyone, is recorded as the method's name and its argument, in the order sent.
/// </summary>
public sealed class RecordingHubContext
{
    public RecordingHubContext()
    {
        Context = RecordingProxy.Create<IHubContext<ChatHub, IChatClient>>(Sent);
    }

    public IHubContext<ChatHub, IChatClient> Context { get; }

    public EventRecorder<(string Method, object? Argument)> Sent { get; } = new();

    /// <summary>Answers every property and method that leads to clients with another proxy, and records the events.</summary>
    private class RecordingProxy : DispatchProxy
    {
        private EventRecorder<(string Method, object? Argument)> _sent = null!;

        public static T Create<T>(EventRecorder<(string Method, object? Argument)> sent) =>
            (T)Create(typeof(T), sent);

        private static object Create(Type type, EventRecorder<(string Method, object? Argument)> sent)
        {
            var proxy = DispatchProxy.Create(type, typeof(RecordingProxy));
            ((RecordingProxy)proxy)._sent = sent;
            return proxy;
        }

        protected override object? Invoke(MethodInfo? targetMethod, object?[]? args)
        {
            var method = targetMethod ?? throw new ArgumentNullException(nameof(targetMethod));
            if (method.ReturnType == typeof(Task))
            {
                _sent.Add((method.Name, args is { Length: > 0 } ? args[0] : null));
                return Task.CompletedTask;
            }

            return method.ReturnType.IsInterface
                ? Create(method.ReturnType, _sent)
                : throw new NotSupportedException($"{method.DeclaringType?.Name}.{method.Name} is not recorded.");
        }
    }
}
