namespace Chat.Server.Rooms;

public sealed record UserView(string UserId, string Nickname);
