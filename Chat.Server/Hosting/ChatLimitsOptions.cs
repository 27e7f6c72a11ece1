using System.ComponentModel.DataAnnotations;

namespace Chat.Server.Hosting;

/// <summary>Configuration section <c>Chat:Limits</c>: what one connection may do, and how long it may stall.</summary>
public sealed class ChatLimitsOptions
{
    public const string SectionName = "Chat:Limits";

    /// <summary>A hub message (one JSON frame) larger than this closes the connection that sent it.</summary>
    [Range(1024, 16 * 1024 * 1024)]
    public int MaxMessageBytes { get; set; } = 32 * 1024;

    [Range(1, 100_000)]
    public int MaxTextLength { get; set; } = 2000;

    [Range(1, 10_000)]
    public int MaxRoomsPerConnection { get; set; } = 50;

    /// <summary>Room and direct messages a connection may send per second, after its burst.</summary>
    [Range(0.1, 1e9)]
    public double SendsPerSecond { get; set; } = 10;

    [Range(1, int.MaxValue)]
    public int SendBurst { get; set; } = 20;

    [Range(0.1, 1e9)]
    public double JoinsPerSecond { get; set; } = 5;

    [Range(1, int.MaxValue)]
    public int JoinBurst { get; set; } = 10;

    /// <summary>Every other call (lists, history, typing…) per second, after its burst.</summary>
    [Range(0.1, 1e9)]
    public double CallsPerSecond { get; set; } = 20;

    [Range(1, int.MaxValue)]
    public int CallBurst { get; set; } = 40;

    /// <summary>Calls refused for speed within <see cref="StrikeWindowSeconds"/> after which the connection is closed.</summary>
    [Range(1, 100_000)]
    public int MaxStrikes { get; set; } = 30;

    [Range(1, 3600)]
    public int StrikeWindowSeconds { get; set; } = 10;

    /// <summary>Every frame a connection sends (any method, known or not, and pings) per second; past it the connection is closed.</summary>
    [Range(1, 1e9)]
    public double InboundMessagesPerSecond { get; set; } = 100;

    [Range(1, int.MaxValue)]
    public int InboundBurst { get; set; } = 300;

    /// <summary>A connection that has not completed its handshake by then is closed.</summary>
    [Range(1, 300)]
    public int HandshakeTimeoutSeconds { get; set; } = 15;

    /// <summary>A client silent this long (no message, no ping: a frozen tab) is dropped; it recovers by seq when it returns. Clients ping at least twice as often.</summary>
    [Range(2, 3600)]
    public int ClientTimeoutSeconds { get; set; } = 30;

    /// <summary>A client whose outgoing buffer stays full (it stopped reading) this long is dropped.</summary>
    [Range(1, 3600)]
    public int StallTimeoutSeconds { get; set; } = 10;

    /// <summary>Outgoing bytes buffered per connection before the server stops writing to it and waits.</summary>
    [Range(4096, 64 * 1024 * 1024)]
    public long OutgoingBufferBytes { get; set; } = 64 * 1024;
}
