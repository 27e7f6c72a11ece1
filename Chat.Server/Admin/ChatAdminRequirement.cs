using Microsoft.AspNetCore.Authorization;

namespace Chat.Server.Admin;

/// <summary>
/// The requirement of the <see cref="PolicyName"/> policy that guards <c>/admin</c> and its API. Who
/// meets it is the handler's decision: today <see cref="Internal.LocalAdministratorHandler"/> (enabled, and
/// from this machine); once accounts exist, a handler for "a signed-in user listed in
/// <c>Chat:Auth:Admins</c>" replaces it and nothing else changes.
/// </summary>
public sealed class ChatAdminRequirement : IAuthorizationRequirement
{
    public const string PolicyName = "ChatAdmin";
}
