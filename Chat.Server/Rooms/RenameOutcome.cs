namespace Chat.Server.Rooms;

public enum RenameOutcome
{
    Renamed,
    Unchanged,
    Taken,
}
