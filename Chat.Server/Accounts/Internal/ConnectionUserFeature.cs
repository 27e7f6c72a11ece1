using System.Security.Claims;
using Microsoft.AspNetCore.Connections.Features;

namespace Chat.Server.Accounts.Internal;

/// <summary>The user of a connection that has no <c>HttpContext</c> (the direct WebSocket path, the doors).</summary>
internal sealed class ConnectionUserFeature : IConnectionUserFeature
{
    public ClaimsPrincipal? User { get; set; }
}
