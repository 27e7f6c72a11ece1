namespace Chat.Server.Rooms;

public enum JoinOutcome
{
    Joined,
    AlreadyMember,
    TooManyRooms,
}
