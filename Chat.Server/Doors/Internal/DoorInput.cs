namespace Chat.Server.Doors.Internal;

/// <summary>What a door's client asked for in one message: its <see cref="Value"/> is the text, the nickname, or the sentence of an error.</summary>
internal readonly record struct DoorInput(DoorInputKind Kind, string Value)
{
    public static DoorInput Message(string text) => new(DoorInputKind.Message, text);

    public static DoorInput Rename(string nickname) => new(DoorInputKind.Rename, nickname);

    public static readonly DoorInput Typing = new(DoorInputKind.Typing, string.Empty);

    public static DoorInput Invalid(string sentence) => new(DoorInputKind.Invalid, sentence);
}
