namespace Chat.Protocol;

/// <summary>One member of a room joining (<paramref name="Joined"/>) or leaving it.</summary>
public sealed record MemberChange(string Nickname, bool Joined);
