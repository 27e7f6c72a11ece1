using System.Text;
using Chat.Client.Console.Input;

namespace Chat.Tests.Console;

/// <summary>
/// A terminal screen in memory that understands what the line editor writes (printable text with
/// auto-wrap, CR, LF, and the cursor-up/right and erase sequences), so a test can look at the screen a
/// person would see. It keeps every row (no scrolling) and fails on any escape sequence it does not know.
/// </summary>
internal sealed class VirtualTerminal(int width) : ITerminal
{
    private readonly List<char[]> _rows = [NewRow(width)];
    private readonly StringBuilder _written = new();
    private bool _pendingWrap;

    public int Width => width;

    public int Row { get; private set; }

    public int Column { get; private set; }

    /// <summary>Everything written so far, escape sequences included.</summary>
    public string Written => _written.ToString();

    /// <summary>The screen's rows without trailing blanks, and without the empty rows at the bottom.</summary>
    public IReadOnlyList<string> Lines
    {
        get
        {
            var lines = _rows.Select(row => new string(row).TrimEnd()).ToList();
            while (lines.Count > 0 && lines[^1].Length == 0)
            {
                lines.RemoveAt(lines.Count - 1);
            }

            return lines;
        }
    }

    public ConsoleKeyInfo ReadKey() => throw new NotSupportedException("Tests hand keys to the editor directly.");

    public void Write(string text)
    {
        _written.Append(text);
        for (var i = 0; i < text.Length; i++)
        {
            var character = text[i];
            switch (character)
            {
                case '\e':
                    i = Escape(text, i);
                    break;
                case '\r':
                    Column = 0;
                    _pendingWrap = false;
                    break;
                case '\n':
                    MoveToRow(Row + 1);
                    _pendingWrap = false;
                    break;
                default:
                    if (char.IsControl(character))
                    {
                        throw new InvalidOperationException($"Unexpected control character U+{(int)character:X4} written to the terminal.");
                    }

                    Put(character);
                    break;
            }
        }
    }

    private static char[] NewRow(int width) => Enumerable.Repeat(' ', width).ToArray();

    private void Put(char character)
    {
        if (_pendingWrap)
        {
            MoveToRow(Row + 1);
            Column = 0;
            _pendingWrap = false;
        }

        _rows[Row][Column] = character;
        if (Column == width - 1)
        {
            // Like a real terminal: the cursor stays on the last column until the next character wraps it.
            _pendingWrap = true;
        }
        else
        {
            Column++;
        }
    }

    private void MoveToRow(int row)
    {
        while (_rows.Count <= row)
        {
            _rows.Add(NewRow(width));
        }

        Row = row;
    }

    private int Escape(string text, int start)
    {
        if (start + 1 >= text.Length || text[start + 1] != '[')
        {
            throw new InvalidOperationException($"Unexpected escape sequence at {start}: {text[start..]}");
        }

        var end = start + 2;
        while (end < text.Length && (char.IsDigit(text[end]) || text[end] == ';'))
        {
            end++;
        }

        var parameters = text[(start + 2)..end];
        var count = int.TryParse(parameters, out var value) ? value : 1;
        _pendingWrap = text[end] == 'm' && _pendingWrap;
        switch (text[end])
        {
            case 'A':
                Row = Math.Max(0, Row - count);
                break;
            case 'B':
                MoveToRow(Row + count);
                break;
            case 'C':
                Column = Math.Min(width - 1, Column + count);
                break;
            case 'D':
                Column = Math.Max(0, Column - count);
                break;
            case 'K':
                Array.Fill(_rows[Row], ' ', Column, width - Column);
                break;
            case 'J' when parameters is "" or "0":
                Array.Fill(_rows[Row], ' ', Column, width - Column);
                _rows.RemoveRange(Row + 1, _rows.Count - Row - 1);
                break;
            case 'm':
                break;
            default:
                throw new InvalidOperationException($"Unexpected escape sequence: {text[start..(end + 1)]}");
        }

        return end;
    }
}
