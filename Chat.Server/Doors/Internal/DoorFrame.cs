namespace Chat.Server.Doors.Internal;

/// <summary>One whole message a door's client sent: text, a binary message (not understood), or the end of the connection.</summary>
internal readonly record struct DoorFrame(DoorFrameKind Kind, string Text)
{
    public static readonly DoorFrame Closed = new(DoorFrameKind.Closed, string.Empty);

    public static readonly DoorFrame Binary = new(DoorFrameKind.Binary, string.Empty);

    public static DoorFrame OfText(string text) => new(DoorFrameKind.Text, text);
}
