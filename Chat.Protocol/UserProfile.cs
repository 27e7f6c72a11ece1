namespace Chat.Protocol;

/// <summary>What <c>Me</c> returns: the caller's nickname and the rooms this connection is in.</summary>
/// <param name="SignedIn">True when the connection carried a valid access token: the nickname is then the account's username.</param>
/// <param name="Administrator">True for a server administrator (<c>Chat:Auth:Admins</c>), who acts as an operator in every room.</param>
public sealed record UserProfile(string Nickname, IReadOnlyList<string> Rooms, bool SignedIn = false, bool Administrator = false);
