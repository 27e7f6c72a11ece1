namespace Chat.Server.Accounts.Moderation;

/// <summary>Who is calling, as moderation needs to know them.</summary>
/// <param name="UserId">The SignalR user id (<c>a:</c> for an account, <c>u:</c>/<c>c:</c> for a guest).</param>
/// <param name="Nickname">The nickname shown to others (a signed-in user's is their username).</param>
/// <param name="Account">The username when signed in; null for a guest.</param>
/// <param name="Administrator">A server administrator (<c>Chat:Auth:Admins</c>): an operator in every room.</param>
public sealed record RoomActor(string UserId, string Nickname, string? Account, bool Administrator);
