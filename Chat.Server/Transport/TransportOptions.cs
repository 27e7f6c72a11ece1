using System.ComponentModel.DataAnnotations;

namespace Chat.Server.Transport;

/// <summary>Configuration section <c>Chat:Transport</c>: how hub WebSockets reach the hub.</summary>
public sealed class TransportOptions
{
    public const string SectionName = "Chat:Transport";

    /// <summary>
    /// Plain (non-TLS) hub WebSocket upgrades are taken off Kestrel's connection before HTTP and handed
    /// to the hub with our own framing (<see cref="DirectWebSockets"/>); false sends them through
    /// ASP.NET Core's HTTP and WebSocket stack like every other request.
    /// </summary>
    public bool DirectWebSockets { get; set; } = true;

    /// <summary>
    /// How often the socket buffer pools give back half of the blocks no connection needed since the
    /// last look (<see cref="TransportMemoryPools"/>).
    /// </summary>
    [Range(10, 60_000)]
    public int PoolTrimMilliseconds { get; set; } = 1000;
}
