namespace Chat.Server.Rooms;

/// <param name="NotifyConnectionIds">The user's own connections and those of everyone sharing a room with it.</param>
public sealed record RenameResult(RenameOutcome Outcome, string OldNickname, string NewNickname, IReadOnlyList<string> NotifyConnectionIds);
