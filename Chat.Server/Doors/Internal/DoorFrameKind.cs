namespace Chat.Server.Doors.Internal;

internal enum DoorFrameKind
{
    Text,
    Binary,
    Closed,
}
