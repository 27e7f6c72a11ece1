namespace Chat.Server.Rooms;

public sealed record ConnectResult(ConnectOutcome Outcome, string Nickname);
