namespace Chat.Client.Console.Rendering;

/// <summary>What a piece of text is, so the renderer can colour it; the names say purpose, not colour.</summary>
internal enum TextStyle
{
    Plain,
    Time,
    Room,
    Sender,
    OwnSender,
    System,
    Error,
    Private,
    Connection,
    Typing,
    Prompt,
}
