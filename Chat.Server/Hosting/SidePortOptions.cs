using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Chat.Server.Hosting;

/// <summary>The side ports (<see cref="KestrelEndpoints.AddSidePort"/>) by port number, each with what its listener runs.</summary>
public sealed class SidePortOptions
{
    public Dictionary<int, Action<ListenOptions>> Listeners { get; } = [];
}
