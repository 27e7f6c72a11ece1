namespace Chat.Server.Doors.Internal;

internal enum DoorInputKind
{
    Message,
    Rename,
    Typing,
    Invalid,
}
