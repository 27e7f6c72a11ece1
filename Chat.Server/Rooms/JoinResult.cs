namespace Chat.Server.Rooms;

/// <param name="UserJoined">True when this is the user's first connection in the room: others are told.</param>
public sealed record JoinResult(JoinOutcome Outcome, string Nickname, bool UserJoined, IReadOnlyList<string> Members);
