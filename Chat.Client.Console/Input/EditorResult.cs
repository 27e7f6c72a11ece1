namespace Chat.Client.Console.Input;

internal enum EditorAction
{
    /// <summary>The key changed the input line (or nothing); keep reading.</summary>
    None,

    /// <summary>Enter: <see cref="EditorResult.Line"/> is the finished line.</summary>
    Submit,

    /// <summary>Ctrl+D on an empty line: the user is done, as at the end of piped input.</summary>
    EndOfInput,

    /// <summary>Ctrl+C arriving as a key rather than as a signal.</summary>
    Interrupt,
}

/// <summary>What a key press meant to the <see cref="LineEditor"/>.</summary>
internal readonly record struct EditorResult(EditorAction Action, string Line = "")
{
    public static EditorResult None { get; } = new(EditorAction.None);
}
