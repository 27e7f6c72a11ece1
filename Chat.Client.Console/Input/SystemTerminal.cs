namespace Chat.Client.Console.Input;

/// <summary>The real terminal: <see cref="System.Console"/> with stdin and stdout both attached to it.</summary>
internal sealed class SystemTerminal : ITerminal
{
    private const int FallbackWidth = 80;

    public int Width
    {
        get
        {
            try
            {
                var width = System.Console.WindowWidth;
                return width > 0 ? width : FallbackWidth;
            }
            catch (IOException)
            {
                return FallbackWidth;
            }
        }
    }

    public void Write(string text)
    {
        System.Console.Out.Write(text);
        System.Console.Out.Flush();
    }

    public ConsoleKeyInfo ReadKey() => System.Console.ReadKey(intercept: true);
}
