using System.Text;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;

namespace Chat.Server.Scaleout.Internal;

/// <summary>Who an invocation on the backplane is for.</summary>
internal enum Audience : byte
{
    All = 1,
    Group = 2,
    User = 3,
    Connections = 4,
}

internal enum EnvelopeKind : byte
{
    Invocation = 1,
    GroupCommand = 2,
    Ack = 3,
}

internal enum GroupAction : byte
{
    Add = 1,
    Remove = 2,
}

/// <summary>
/// What travels between nodes, in a small length-prefixed binary form: the sending node, then an
/// invocation (its audience and the message already serialized by every hub protocol, so a receiving
/// node writes those bytes to its connections without serializing again), a group command for a
/// connection on another node, or the acknowledgement of one.
/// </summary>
internal sealed class RedisEnvelope
{
    private const byte Version = 1;

    public required string Source { get; init; }

    public required EnvelopeKind Kind { get; init; }

    public Audience Audience { get; init; }

    /// <summary>The group or user the invocation is for.</summary>
    public string Name { get; init; } = string.Empty;

    public IReadOnlyList<string> Targets { get; init; } = [];

    public IReadOnlyList<string> Excluded { get; init; } = [];

    public SerializedHubMessage? Message { get; init; }

    public int CommandId { get; init; }

    public GroupAction Action { get; init; }

    public string ConnectionId { get; init; } = string.Empty;

    public static byte[] WriteInvocation(
        string source,
        Audience audience,
        string name,
        IReadOnlyList<string>? targets,
        IReadOnlyList<string>? excluded,
        SerializedHubMessage message,
        IReadOnlyList<IHubProtocol> protocols)
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            WriteHeader(writer, source, EnvelopeKind.Invocation);
            writer.Write((byte)audience);
            writer.Write(name);
            WriteList(writer, targets);
            WriteList(writer, excluded);
            writer.Write(protocols.Count);
            foreach (var protocol in protocols)
            {
                var bytes = message.GetSerializedMessage(protocol).Span;
                writer.Write(protocol.Name);
                writer.Write(bytes.Length);
                writer.Write(bytes);
            }
        }

        return stream.ToArray();
    }

    public static byte[] WriteGroupCommand(string source, int id, GroupAction action, string group, string connectionId)
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            WriteHeader(writer, source, EnvelopeKind.GroupCommand);
            writer.Write(id);
            writer.Write((byte)action);
            writer.Write(group);
            writer.Write(connectionId);
        }

        return stream.ToArray();
    }

    public static byte[] WriteAck(string source, int id)
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            WriteHeader(writer, source, EnvelopeKind.Ack);
            writer.Write(id);
        }

        return stream.ToArray();
    }

    /// <summary>The envelope, or null when it is this node's own (Redis echoes a publisher's messages to its subscriptions).</summary>
    public static RedisEnvelope? ReadFromOthers(byte[] payload, string self)
    {
        using var reader = new BinaryReader(new MemoryStream(payload, writable: false), Encoding.UTF8);
        var version = reader.ReadByte();
        if (version != Version)
        {
            throw new InvalidDataException($"Unknown backplane envelope version {version}.");
        }

        var source = reader.ReadString();
        if (source == self)
        {
            return null;
        }

        var kind = (EnvelopeKind)reader.ReadByte();
        switch (kind)
        {
            case EnvelopeKind.Invocation:
                var audience = (Audience)reader.ReadByte();
                var name = reader.ReadString();
                var targets = ReadList(reader);
                var excluded = ReadList(reader);
                var count = reader.ReadInt32();
                var serialized = new List<SerializedMessage>(count);
                for (var i = 0; i < count; i++)
                {
                    var protocol = reader.ReadString();
                    var bytes = reader.ReadBytes(reader.ReadInt32());
                    serialized.Add(new SerializedMessage(protocol, bytes));
                }

                return new RedisEnvelope
                {
                    Source = source,
                    Kind = kind,
                    Audience = audience,
                    Name = name,
                    Targets = targets,
                    Excluded = excluded,
                    Message = new SerializedHubMessage(serialized),
                };
            case EnvelopeKind.GroupCommand:
                return new RedisEnvelope
                {
                    Source = source,
                    Kind = kind,
                    CommandId = reader.ReadInt32(),
                    Action = (GroupAction)reader.ReadByte(),
                    Name = reader.ReadString(),
                    ConnectionId = reader.ReadString(),
                };
            case EnvelopeKind.Ack:
                return new RedisEnvelope { Source = source, Kind = kind, CommandId = reader.ReadInt32() };
            default:
                throw new InvalidDataException($"Unknown backplane envelope kind {kind}.");
        }
    }

    private static void WriteHeader(BinaryWriter writer, string source, EnvelopeKind kind)
    {
        writer.Write(Version);
        writer.Write(source);
        writer.Write((byte)kind);
    }

    private static void WriteList(BinaryWriter writer, IReadOnlyList<string>? values)
    {
        writer.Write(values?.Count ?? 0);
        foreach (var value in values ?? [])
        {
            writer.Write(value);
        }
    }

    private static string[] ReadList(BinaryReader reader)
    {
        var values = new string[reader.ReadInt32()];
        for (var i = 0; i < values.Length; i++)
        {
            values[i] = reader.ReadString();
        }

        return values;
    }
}
