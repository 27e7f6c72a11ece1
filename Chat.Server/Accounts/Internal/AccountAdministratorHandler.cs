using Chat.Server.Admin;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.Options;

namespace Chat.Server.Accounts.Internal;

/// <summary>
/// The admin policy's requirement met by a signed-in user (an access token on the request) whose
/// username is one of <see cref="AuthOptions.Admins"/>, wherever they are. The screen must still be
/// enabled (<see cref="AdminOptions.Enabled"/>).
/// </summary>
internal sealed class AccountAdministratorHandler(IOptions<AuthOptions> auth, IOptions<AdminOptions> admin) : AuthorizationHandler<ChatAdminRequirement>
{
    protected override Task HandleRequirementAsync(AuthorizationHandlerContext context, ChatAdminRequirement requirement)
    {
        if (admin.Value.Enabled && auth.Value.IsAdministrator(ChatUser.AccountOf(context.User)))
        {
            context.Succeed(requirement);
        }

        return Task.CompletedTask;
    }
}
