namespace Chat.Client.Console.Input;

/// <summary>The interactive terminal, as the line editor needs it; tests put a fake screen behind it.</summary>
internal interface ITerminal
{
    /// <summary>Columns per row, for working out where wrapped input puts the cursor.</summary>
    int Width { get; }

    /// <summary>Writes text as is, escape sequences included.</summary>
    void Write(string text);

    /// <summary>Blocks until a key is pressed; the key is not echoed.</summary>
    ConsoleKeyInfo ReadKey();
}
