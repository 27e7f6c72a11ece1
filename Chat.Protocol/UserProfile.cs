namespace Chat.Protocol;

/// <summary>What <c>Me</c> returns: the caller's nickname and the rooms this connection is in.</summary>
public sealed record UserProfile(string Nickname, IReadOnlyList<string> Rooms);
