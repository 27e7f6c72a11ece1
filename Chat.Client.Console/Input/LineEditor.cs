using System.Globalization;
using System.Text;
using Chat.Client.Console.Rendering;

namespace Chat.Client.Console.Input;

/// <summary>
/// The bottom of an interactive terminal: an optional status line ("Bob is typing…") and the prompt with
/// what the user is typing. Conversation lines are written above this live region, which is then drawn
/// again below them, so incoming messages never garble a half-typed line. Keys arrive on the reader
/// thread and lines on the client's event threads; one lock keeps each redraw whole.
/// </summary>
/// <remarks>
/// The cursor arithmetic counts one column per character; wide characters (CJK, emoji) in the input
/// line can put the cursor a little off until the next redraw after the line is sent.
/// </remarks>
internal sealed class LineEditor(ITerminal terminal, AnsiRenderer renderer) : IChatScreen
{
    private const int MaxRecalledLines = 100;

    private readonly Lock _gate = new();
    private readonly StringBuilder _buffer = new();
    private readonly List<string> _recalled = [];
    private int _cursor;
    private int _recallIndex;
    private string _draft = "";
    private StyledText _prompt = StyledText.Empty;
    private StyledText? _status;
    private bool _active;

    // The line being typed is a password: not drawn, not recalled, not reported as typing.
    private bool _hidden;

    // Rows from the top of the live region down to the cursor, to find the region again when erasing it.
    private int _cursorRow;

    /// <summary>The user typed a character; the argument is the whole line so far.</summary>
    public event Action<string>? Edited;

    public bool HasStatusLine => true;

    public string Text
    {
        get
        {
            lock (_gate)
            {
                return _buffer.ToString();
            }
        }
    }

    public int CursorPosition
    {
        get
        {
            lock (_gate)
            {
                return _cursor;
            }
        }
    }

    /// <summary>Draws the live region; until then lines are written plainly.</summary>
    public void Start() => Redraw(() => _active = true);

    /// <summary>Erases the live region, leaving only the conversation on the screen.</summary>
    public void Stop()
    {
        lock (_gate)
        {
            var output = new StringBuilder();
            EraseLocked(output);
            _active = false;
            terminal.Write(output.ToString());
        }
    }

    public void Show(StyledText line)
    {
        lock (_gate)
        {
            var output = new StringBuilder();
            EraseLocked(output);
            output.Append(renderer.Render(line).Replace("\n", "\r\n", StringComparison.Ordinal)).Append("\r\n");
            DrawLocked(output);
            terminal.Write(output.ToString());
        }
    }

    public void ShowStatus(StyledText? status) => Redraw(() => _status = status);

    public void ShowPrompt(StyledText prompt) => Redraw(() => _prompt = prompt);

    /// <summary>The next line is a secret (a password): nothing of it is drawn, and it is not kept for recall.</summary>
    public void HideNextLine() => Redraw(() => _hidden = true);

    public EditorResult Handle(ConsoleKeyInfo key)
    {
        var result = EditorResult.None;
        var typed = false;
        string? text = null;
        lock (_gate)
        {
            var output = new StringBuilder();
            EraseLocked(output);
            switch (key.Key)
            {
                case ConsoleKey.Enter:
                    result = new EditorResult(EditorAction.Submit, Submit());
                    break;
                case ConsoleKey.Backspace:
                    DeleteBack();
                    break;
                case ConsoleKey.Delete:
                    DeleteForward();
                    break;
                case ConsoleKey.LeftArrow:
                    _cursor = Math.Max(0, _cursor - 1);
                    break;
                case ConsoleKey.RightArrow:
                    _cursor = Math.Min(_buffer.Length, _cursor + 1);
                    break;
                case ConsoleKey.Home:
                    _cursor = 0;
                    break;
                case ConsoleKey.End:
                    _cursor = _buffer.Length;
                    break;
                case ConsoleKey.UpArrow when !_hidden:
                    Recall(-1);
                    break;
                case ConsoleKey.DownArrow when !_hidden:
                    Recall(+1);
                    break;
                case ConsoleKey.Escape:
                    Replace("");
                    break;
                default:
                    (result, typed) = HandleCharacter(key.KeyChar, output);
                    break;
            }

            DrawLocked(output);
            terminal.Write(output.ToString());
            if (typed && !_hidden)
            {
                text = _buffer.ToString();
            }
        }

        if (text is not null)
        {
            Edited?.Invoke(text);
        }

        return result;
    }

    private (EditorResult Result, bool Typed) HandleCharacter(char character, StringBuilder output)
    {
        switch (character)
        {
            case '\x01': // Ctrl+A
                _cursor = 0;
                break;
            case '\x05': // Ctrl+E
                _cursor = _buffer.Length;
                break;
            case '\x02': // Ctrl+B
                _cursor = Math.Max(0, _cursor - 1);
                break;
            case '\x06': // Ctrl+F
                _cursor = Math.Min(_buffer.Length, _cursor + 1);
                break;
            case '\x15': // Ctrl+U
                _buffer.Remove(0, _cursor);
                _cursor = 0;
                break;
            case '\x0b': // Ctrl+K
                _buffer.Remove(_cursor, _buffer.Length - _cursor);
                break;
            case '\x17': // Ctrl+W
                DeleteWordBack();
                break;
            case '\x10' when !_hidden: // Ctrl+P
                Recall(-1);
                break;
            case '\x0e' when !_hidden: // Ctrl+N
                Recall(+1);
                break;
            case '\x0c': // Ctrl+L: clear the screen, keep the line
                output.Append("\e[H\e[2J");
                break;
            case '\x04': // Ctrl+D
                if (_buffer.Length == 0)
                {
                    return (new EditorResult(EditorAction.EndOfInput), false);
                }

                DeleteForward();
                break;
            case '\x03': // Ctrl+C
                return (new EditorResult(EditorAction.Interrupt), false);
            default:
                if (character == '\0' || char.IsControl(character))
                {
                    break;
                }

                _buffer.Insert(_cursor, character);
                _cursor++;
                return (EditorResult.None, true);
        }

        return (EditorResult.None, false);
    }

    private string Submit()
    {
        var line = _buffer.ToString();
        var hidden = _hidden;
        _hidden = false;
        if (!hidden && !string.IsNullOrWhiteSpace(line) && (_recalled.Count == 0 || _recalled[^1] != line))
        {
            _recalled.Add(line);
            if (_recalled.Count > MaxRecalledLines)
            {
                _recalled.RemoveAt(0);
            }
        }

        _recallIndex = _recalled.Count;
        _draft = "";
        _buffer.Clear();
        _cursor = 0;
        return line;
    }

    private void Recall(int step)
    {
        var index = Math.Clamp(_recallIndex + step, 0, _recalled.Count);
        if (index == _recallIndex)
        {
            return;
        }

        if (_recallIndex == _recalled.Count)
        {
            _draft = _buffer.ToString();
        }

        _recallIndex = index;
        Replace(index == _recalled.Count ? _draft : _recalled[index]);
    }

    private void Replace(string text)
    {
        _buffer.Clear().Append(text);
        _cursor = text.Length;
    }

    private void DeleteBack()
    {
        if (_cursor > 0)
        {
            _buffer.Remove(_cursor - 1, 1);
            _cursor--;
        }
    }

    private void DeleteForward()
    {
        if (_cursor < _buffer.Length)
        {
            _buffer.Remove(_cursor, 1);
        }
    }

    private void DeleteWordBack()
    {
        var start = _cursor;
        while (start > 0 && char.IsWhiteSpace(_buffer[start - 1]))
        {
            start--;
        }

        while (start > 0 && !char.IsWhiteSpace(_buffer[start - 1]))
        {
            start--;
        }

        _buffer.Remove(start, _cursor - start);
        _cursor = start;
    }

    private void Redraw(Action change)
    {
        lock (_gate)
        {
            var output = new StringBuilder();
            EraseLocked(output);
            change();
            DrawLocked(output);
            terminal.Write(output.ToString());
        }
    }

    private void EraseLocked(StringBuilder output)
    {
        if (!_active)
        {
            return;
        }

        if (_cursorRow > 0)
        {
            output.Append(CultureInfo.InvariantCulture, $"\e[{_cursorRow}A");
        }

        output.Append("\r\e[J");
        _cursorRow = 0;
    }

    private void DrawLocked(StringBuilder output)
    {
        if (!_active)
        {
            return;
        }

        var width = Math.Max(terminal.Width, 2);
        var statusRows = 0;
        if (_status is not null)
        {
            // One column short of the width, so the status never wraps onto a second row.
            output.Append(renderer.Render(_status.Truncate(width - 1))).Append("\r\n");
            statusRows = 1;
        }

        // A hidden line draws nothing, as a password prompt in a terminal does; the cursor stays after the prompt.
        var shown = _hidden ? 0 : _buffer.Length;
        output.Append(renderer.Render(_prompt));
        if (!_hidden)
        {
            output.Append(_buffer);
        }

        var end = _prompt.Length + shown;

        // A line that exactly fills its last row leaves the cursor waiting at the right edge; moving it
        // to the next row makes the terminal agree with the arithmetic below.
        if (end > 0 && end % width == 0)
        {
            output.Append("\r\n");
        }

        var target = _prompt.Length + (_hidden ? 0 : _cursor);
        var rowsUp = (end / width) - (target / width);
        if (rowsUp > 0)
        {
            output.Append(CultureInfo.InvariantCulture, $"\e[{rowsUp}A");
        }

        output.Append('\r');
        if (target % width > 0)
        {
            output.Append(CultureInfo.InvariantCulture, $"\e[{target % width}C");
        }

        _cursorRow = statusRows + (target / width);
    }
}
