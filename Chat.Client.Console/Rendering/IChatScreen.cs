namespace Chat.Client.Console.Rendering;

/// <summary>Where the conversation's lines go: an interactive terminal with a live input line, or plain piped output.</summary>
internal interface IChatScreen
{
    /// <summary>True when <see cref="ShowStatus"/> is visible: a line that can be replaced and taken away again.</summary>
    bool HasStatusLine { get; }

    /// <summary>Adds a line to the conversation.</summary>
    void Show(StyledText line);

    /// <summary>Replaces the passing status ("Bob is typing…", a countdown); null takes it away.</summary>
    void ShowStatus(StyledText? status);

    void ShowPrompt(StyledText prompt);
}
