using System.Security.Claims;
using Chat.Server.Rooms;

namespace Chat.Server.Accounts;

/// <summary>
/// Who a hub connection is. A signed-in connection's principal is authenticated and named by its username
/// (a normalized nickname), and its SignalR user id is <see cref="UserIdOf"/> that name, so every device
/// and node agrees on it. A guest's user id comes from its client key (<c>u:</c>) or, without one, its
/// connection (<c>c:</c>).
/// </summary>
public static class ChatUser
{
    public const string AccountPrefix = "a:";

    /// <summary>The username of a signed-in principal; null for a guest.</summary>
    public static string? AccountOf(ClaimsPrincipal? user) =>
        user?.Identity is { IsAuthenticated: true, Name: { Length: > 0 } name } ? name : null;

    /// <summary>The SignalR user id of an account: one per username, however it is spelled.</summary>
    public static string UserIdOf(string username) => AccountPrefix + Nickname.Key(username);

    /// <summary>Whether a user id belongs to an account rather than a guest.</summary>
    public static bool IsAccount(string userId) => userId.StartsWith(AccountPrefix, StringComparison.Ordinal);
}
