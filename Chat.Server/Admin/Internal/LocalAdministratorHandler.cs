using System.Net;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace Chat.Server.Admin.Internal;

/// <summary>
/// Until accounts exist, an administrator is whoever sits at the server: the screen is enabled
/// (<see cref="AdminOptions.Enabled"/>) and the request comes from a loopback address, straight, not
/// through a proxy (a proxy on the same machine would make every visitor look local, so a request
/// carrying <c>Forwarded</c> or <c>X-Forwarded-For</c> is refused).
/// </summary>
internal sealed class LocalAdministratorHandler(IOptions<AdminOptions> options) : AuthorizationHandler<ChatAdminRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ChatAdminRequirement requirement)
    {
        if (options.Value.Enabled && context.Resource is HttpContext http && IsLocal(http))
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }

    public static bool IsLocal(HttpContext http) =>
        http.Connection.RemoteIpAddress is { } address
        && IPAddress.IsLoopback(address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address)
        && !http.Request.Headers.ContainsKey("Forwarded")
        && !http.Request.Headers.ContainsKey("X-Forwarded-For");
}
