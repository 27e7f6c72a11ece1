namespace Chat.Server.Rooms;

public enum ConnectOutcome
{
    Accepted,
    NicknameTaken,
}
