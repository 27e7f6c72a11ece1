using System.Buffers;
using System.IO.Pipelines;
using System.Text;

namespace Chat.Server.Doors.Internal;

/// <summary>
/// Lines from a TCP client: ended by LF (a CR before it is dropped, so CRLF and LF both work), decoded
/// as UTF-8, with telnet's negotiation (IAC sequences, including subnegotiation) and NULs taken out.
/// A line longer than the limit is read to its end and reported as <see cref="LineStatus.TooLong"/>;
/// one that is not UTF-8 as <see cref="LineStatus.InvalidUtf8"/>; the connection goes on either way.
/// </summary>
internal sealed class TelnetLineReader(PipeReader input, int maxLineBytes)
{
    private const byte Iac = 255;
    private const byte SubnegotiationEnd = 240;
    private const byte SubnegotiationBegin = 250;
    private const byte Will = 251;
    private const byte Dont = 254;

    private static readonly UTF8Encoding StrictUtf8 = new(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);

    private readonly byte[] _line = new byte[maxLineBytes];
    private int _length;
    private bool _tooLong;
    private State _state;

    private enum State
    {
        Data,
        Command,
        Option,
        Subnegotiation,
        SubnegotiationCommand,
    }

    /// <summary>The next line; <see cref="LineStatus.End"/> when the client closed its side.</summary>
    public async ValueTask<(LineStatus Status, string Text)> ReadLineAsync(CancellationToken cancellationToken)
    {
        while (true)
        {
            var result = await input.ReadAsync(cancellationToken);
            var reader = new SequenceReader<byte>(result.Buffer);
            while (reader.TryRead(out var value))
            {
                if (Take(value) is { } line)
                {
                    input.AdvanceTo(reader.Position);
                    return line;
                }
            }

            input.AdvanceTo(result.Buffer.End);
            if (result.IsCompleted || result.IsCanceled)
            {
                // A last line without its LF still counts.
                return _length > 0 || _tooLong ? EndLine() : (LineStatus.End, "");
            }
        }
    }

    private (LineStatus, string)? Take(byte value)
    {
        switch (_state)
        {
            case State.Command:
                _state = value switch
                {
                    >= Will and <= Dont => State.Option,
                    SubnegotiationBegin => State.Subnegotiation,
                    _ => State.Data,
                };

                // IAC IAC is a data byte 255, which UTF-8 never has: the line is reported as invalid.
                if (value == Iac)
                {
                    Append(value);
                }

                return null;
            case State.Option:
                _state = State.Data;
                return null;
            case State.Subnegotiation:
                _state = value == Iac ? State.SubnegotiationCommand : State.Subnegotiation;
                return null;
            case State.SubnegotiationCommand:
                _state = value == SubnegotiationEnd ? State.Data : State.Subnegotiation;
                return null;
        }

        switch (value)
        {
            case Iac:
                _state = State.Command;
                return null;
            case (byte)'\n':
                return EndLine();
            case 0:
                return null;
            default:
                Append(value);
                return null;
        }
    }

    private void Append(byte value)
    {
        if (_length < _line.Length)
        {
            _line[_length++] = value;
        }
        else
        {
            _tooLong = true;
        }
    }

    private (LineStatus, string) EndLine()
    {
        var length = _length > 0 && _line[_length - 1] == '\r' ? _length - 1 : _length;
        var tooLong = _tooLong;
        _length = 0;
        _tooLong = false;
        if (tooLong)
        {
            return (LineStatus.TooLong, "");
        }

        try
        {
            return (LineStatus.Line, StrictUtf8.GetString(_line, 0, length));
        }
        catch (DecoderFallbackException)
        {
            return (LineStatus.InvalidUtf8, "");
        }
    }
}
