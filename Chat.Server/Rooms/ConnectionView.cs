namespace Chat.Server.Rooms;

public sealed record ConnectionView(string ConnectionId, string UserId, string Nickname, IReadOnlyList<string> Rooms);
