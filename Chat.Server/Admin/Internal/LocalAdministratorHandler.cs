using System.Net;
using Chat.Server.Accounts;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace Chat.Server.Admin.Internal;

/// <summary>
/// While no administrators are named (<see cref="AuthOptions.Admins"/>), an administrator is whoever
/// sits at the server: the screen is enabled (<see cref="AdminOptions.Enabled"/>) and the request comes
/// from a loopback address, straight, not
/// through a proxy (a proxy on the same machine would make every visitor look local, so a request
/// carrying <c>Forwarded</c> or <c>X-Forwarded-For</c> is refused). Once some are named, only they
/// are (<see cref="Accounts.Internal.AccountAdministratorHandler"/>): anyone on the machine is not enough.
/// </summary>
internal sealed class LocalAdministratorHandler(IOptions<AdminOptions> options, IOptions<AuthOptions> auth) : AuthorizationHandler<ChatAdminRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ChatAdminRequirement requirement)
    {
        if (options.Value.Enabled && auth.Value.Admins.Length == 0 && context.Resource is HttpContext http && IsLocal(http))
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
