namespace Chat.Server.Doors.Internal;

/// <summary>What <see cref="TelnetLineReader.ReadLineAsync"/> read.</summary>
internal enum LineStatus
{
    Line,
    TooLong,
    InvalidUtf8,
    End,

    /// <summary>The door's, not the reader's: nothing arrived within the idle timeout.</summary>
    Idle,
}
