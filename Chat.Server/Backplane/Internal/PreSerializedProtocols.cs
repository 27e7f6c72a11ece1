using System.Buffers;
using System.Diagnostics.CodeAnalysis;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;

namespace Chat.Server.Backplane.Internal;

/// <summary>
/// The hub protocols as the official backplane gets them. A send writes to this node's connections
/// first, which serializes the message; the backplane then serializes the same arguments again for
/// its publish. While <see cref="Reuse"/> is in effect on the calling thread (the backplane serializes
/// synchronously, before its first await), a message with those very arguments is answered with the
/// bytes already made, so each send is serialized once per protocol however it travels.
/// </summary>
internal sealed class PreSerializedProtocols : IHubProtocolResolver
{
    [ThreadStatic]
    private static SerializedHubMessage? t_message;

    [ThreadStatic]
    private static object?[]? t_arguments;

    private readonly IHubProtocolResolver _resolver;
    private readonly Dictionary<string, IHubProtocol> _wrapped = new(StringComparer.Ordinal);

    public PreSerializedProtocols(IHubProtocolResolver resolver)
    {
        _resolver = resolver;
        foreach (var protocol in resolver.AllProtocols)
        {
            _wrapped[protocol.Name] = new Reusing(protocol);
        }

        AllProtocols = [.. _wrapped.Values];
    }

    public IReadOnlyList<IHubProtocol> AllProtocols { get; }

    public IHubProtocol? GetProtocol(string protocolName, IReadOnlyList<string>? supportedProtocols) =>
        _resolver.GetProtocol(protocolName, supportedProtocols) is { } protocol
            ? _wrapped.GetValueOrDefault(protocol.Name) ?? protocol
            : null;

    /// <summary>Until disposed, the backplane's serialization of <paramref name="arguments"/> on this thread reuses <paramref name="message"/>.</summary>
    public static Scope Reuse(SerializedHubMessage message, object?[] arguments)
    {
        t_message = message;
        t_arguments = arguments;
        return default;
    }

    private static SerializedHubMessage? Made(HubMessage message) =>
        message is InvocationMessage invocation && t_arguments is { } arguments && ReferenceEquals(invocation.Arguments, arguments) ? t_message : null;

    public readonly struct Scope : IDisposable
    {
        public void Dispose()
        {
            t_message = null;
            t_arguments = null;
        }
    }

    private sealed class Reusing(IHubProtocol inner) : IHubProtocol
    {
        public string Name => inner.Name;

        public int Version => inner.Version;

        public TransferFormat TransferFormat => inner.TransferFormat;

        public bool IsVersionSupported(int version) => inner.IsVersionSupported(version);

        public bool TryParseMessage(ref ReadOnlySequence<byte> input, IInvocationBinder binder, [NotNullWhen(true)] out HubMessage? message) =>
            inner.TryParseMessage(ref input, binder, out message);

        public void WriteMessage(HubMessage message, IBufferWriter<byte> output)
        {
            if (Made(message) is { } made)
            {
                output.Write(made.GetSerializedMessage(inner).Span);
                return;
            }

            inner.WriteMessage(message, output);
        }

        public ReadOnlyMemory<byte> GetMessageBytes(HubMessage message) =>
            Made(message) is { } made ? made.GetSerializedMessage(inner) : inner.GetMessageBytes(message);
    }
}
