using System.ComponentModel.DataAnnotations;

namespace Chat.Server.Doors;

/// <summary>
/// Configuration section <c>Chat:Tcp</c>: the plain TCP door (seeds 001 and 002: <c>nc</c>, telnet, a
/// socket client), one line per command or message.
/// </summary>
public sealed class TcpDoorOptions
{
    public const string SectionName = "Chat:Tcp";

    /// <summary>Kestrel's endpoint name for the door, when the public addresses are <c>Kestrel:Endpoints</c>.</summary>
    public const string EndpointName = "ChatTcp";

    /// <summary>The port the door listens on (default 5023); 0 turns it off.</summary>
    [Range(0, 65535)]
    public int Port { get; set; } = 5023;

    /// <summary>The address it listens on: <c>localhost</c> (the default, like the HTTP port's) or e.g. <c>+</c> for every address.</summary>
    [Required]
    public string Host { get; set; } = "localhost";

    /// <summary>A connection that sends nothing for this long is closed (the nickname prompt included).</summary>
    [Range(1, 86400)]
    public int IdleTimeoutSeconds { get; set; } = 300;

    public bool Enabled => Port > 0;
}
