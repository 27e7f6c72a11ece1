using Microsoft.AspNetCore.Authorization;

namespace Chat.Server.Admin;

/// <summary>
/// The requirement of the <see cref="PolicyName"/> policy that guards <c>/admin</c> and its API. Who
/// meets it is the handlers' decision: a signed-in user listed in <c>Chat:Auth:Admins</c>
/// (<see cref="Accounts.Internal.AccountAdministratorHandler"/>), or, while that list is empty, whoever
/// asks from this machine (<see cref="Internal.LocalAdministratorHandler"/>).
/// </summary>
public sealed class ChatAdminRequirement : IAuthorizationRequirement
{
    public const string PolicyName = "ChatAdmin";
}
