using System.Buffers;
using System.Text.Encodings.Web;
using System.Text.Json;
using Chat.Protocol;

namespace Chat.Server.Doors.Internal;

/// <summary>
/// The <c>/ws</c> dialect: one JSON object per text frame, seed 000's <c>system</c>, <c>message</c> and
/// <c>error</c> objects with our fields where they fit (<c>seq</c>, <c>sentAt</c>, <c>history</c>,
/// <c>kind</c>), and <c>private</c> for private messages. Written through the door's
/// <see cref="DoorSocket"/>, whose stall timeout bounds each write (the token is not needed).
/// </summary>
internal sealed class JsonLineWriter(DoorSocket socket) : ILineWriter
{
    // Text goes out as UTF-8, not \u escapes: the objects are read by JSON parsers, not embedded in HTML.
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private readonly ArrayBufferWriter<byte> _buffer = new(512);

    public ValueTask MessageAsync(ChatMessage message, bool earlier, CancellationToken cancellationToken) =>
        SendAsync(json =>
        {
            json.WriteString("type", "message");
            json.WriteString("room", message.Room);
            json.WriteString("sender", message.Sender);
            json.WriteString("message", message.Text);
            json.WriteNumber("seq", message.Seq);
            json.WriteString("sentAt", message.SentAt);
            if (earlier)
            {
                json.WriteBoolean("history", true);
            }
        }, cancellationToken);

    public ValueTask DirectAsync(DirectMessage message, CancellationToken cancellationToken) =>
        SendAsync(json =>
        {
            json.WriteString("type", "private");
            json.WriteString("sender", message.From);
            json.WriteString("to", message.To);
            json.WriteString("message", message.Text);
            json.WriteString("sentAt", message.SentAt);
        }, cancellationToken);

    public ValueTask SystemAsync(string text, string? kind, CancellationToken cancellationToken) =>
        SendAsync(json =>
        {
            json.WriteString("type", "system");
            json.WriteString("message", text);
            if (kind is not null)
            {
                json.WriteString("kind", kind);
            }
        }, cancellationToken);

    public ValueTask RoomChangedAsync(RoomEvent change, string text, CancellationToken cancellationToken) =>
        SendAsync(json =>
        {
            json.WriteString("type", "room");
            json.WriteString("room", change.Room);
            json.WriteString("action", change.Action);
            json.WriteString("by", change.By);
            WriteIfSet(json, "target", change.Target);
            WriteIfSet(json, "detail", change.Detail);
            WriteIfSet(json, "topic", change.Info.Topic);
            json.WriteString("message", text);
        }, cancellationToken);

    public ValueTask InvitedAsync(RoomInvitation invitation, string text, CancellationToken cancellationToken) =>
        SendAsync(json =>
        {
            json.WriteString("type", "invite");
            json.WriteString("room", invitation.Room);
            json.WriteString("by", invitation.By);
            json.WriteString("message", text);
        }, cancellationToken);

    public ValueTask ErrorAsync(string text, CancellationToken cancellationToken) =>
        SendAsync(json =>
        {
            json.WriteString("type", "error");
            json.WriteString("message", text);
        }, cancellationToken);

    private static void WriteIfSet(Utf8JsonWriter json, string name, string? value)
    {
        if (value is not null)
        {
            json.WriteString(name, value);
        }
    }

    private async ValueTask SendAsync(Action<Utf8JsonWriter> write, CancellationToken cancellationToken)
    {
        _buffer.ResetWrittenCount();
        using (var json = new Utf8JsonWriter(_buffer, Options))
        {
            json.WriteStartObject();
            write(json);
            json.WriteEndObject();
        }

        await socket.SendAsync(_buffer.WrittenMemory);
    }
}
