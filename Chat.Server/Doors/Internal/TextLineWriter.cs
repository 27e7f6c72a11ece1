using System.Globalization;
using System.IO.Pipelines;
using System.Text;
using Chat.Protocol;

namespace Chat.Server.Doors.Internal;

/// <summary>
/// The TCP dialect: the console client's lines, CRLF-ended UTF-8. <c>12:01 [general] Alice: hello</c>
/// (the time in UTC: a remote user's zone is unknown), <c>12:01 [private] Alice → Bob: hi</c>,
/// <c>[SYSTEM] …</c>, <c>[SERVER] …</c> for the server's notices, <c>[ERROR] …</c>; the lines of a
/// multi-line message after the first are indented under its text.
/// </summary>
/// <remarks>
/// A write that the client has not taken within <paramref name="stallTimeout"/> (its socket buffers are
/// full because it stopped reading) calls <paramref name="stalled"/>, which drops the connection: the
/// hub's client in the door queues what the hub sends without bound, so the hub's own stall guard never
/// sees a door client that stopped reading.
/// </remarks>
internal sealed class TextLineWriter(PipeWriter output, TimeSpan stallTimeout, Action stalled) : ILineWriter
{
    private const string ContinuationIndent = "      ";

    public ValueTask MessageAsync(ChatMessage message, bool earlier, CancellationToken cancellationToken) =>
        WriteAsync($"{Time(message.SentAt)} [{message.Room}] {message.Sender}: {Indented(message.Text)}\r\n", cancellationToken);

    public ValueTask DirectAsync(DirectMessage message, CancellationToken cancellationToken) =>
        WriteAsync($"{Time(message.SentAt)} [private] {message.From} → {message.To}: {Indented(message.Text)}\r\n", cancellationToken);

    public ValueTask SystemAsync(string text, string? kind, CancellationToken cancellationToken) =>
        WriteAsync($"{(kind is null ? "[SYSTEM]" : "[SERVER]")} {text.Replace("\n", "\r\n", StringComparison.Ordinal)}\r\n", cancellationToken);

    public ValueTask RoomChangedAsync(RoomEvent change, string text, CancellationToken cancellationToken) =>
        WriteAsync($"[SYSTEM] {text}\r\n", cancellationToken);

    public ValueTask InvitedAsync(RoomInvitation invitation, string text, CancellationToken cancellationToken) =>
        WriteAsync($"[SYSTEM] {text}\r\n", cancellationToken);

    public ValueTask ErrorAsync(string text, CancellationToken cancellationToken) =>
        WriteAsync($"[ERROR] {text}\r\n", cancellationToken);

    /// <summary>Text as it is, without a line end (the nickname prompt).</summary>
    public async ValueTask WriteAsync(string text, CancellationToken cancellationToken)
    {
        Encoding.UTF8.GetBytes(text, output);
        using var stall = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        stall.CancelAfter(stallTimeout);
        try
        {
            await output.FlushAsync(stall.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            stalled();
            throw;
        }
    }

    private static string Time(DateTimeOffset at) => at.UtcDateTime.ToString("HH:mm", CultureInfo.InvariantCulture);

    private static string Indented(string text) => text.Replace("\n", "\r\n" + ContinuationIndent, StringComparison.Ordinal);
}
