using Chat.Protocol;

namespace Chat.Server.Doors.Internal;

/// <summary>
/// The plain text of <c>/chat/{room}</c> (docs/protocol.md, "Doors"): every text message in is a
/// message to the room; out, <c>username :: message</c>, and the server's own lines start with
/// <c>*** </c>, which no nickname can (nicknames have no spaces or asterisks).
/// </summary>
internal sealed class TextRoomDialect : IRoomDialect
{
    public const string SystemPrefix = "*** ";

    public static readonly TextRoomDialect Instance = new();

    public string Door => "chat";

    public DoorInput Parse(string text) => DoorInput.Message(text);

    public string Welcome(string room, string nickname, string clientId, DateTimeOffset at) => $"{SystemPrefix}Welcome to room {room}, {nickname}!";

    public string Message(ChatMessage message, bool history, string? clientId) => $"{message.Sender} :: {message.Text}";

    public string Joined(string room, string nickname, DateTimeOffset at) => $"{SystemPrefix}{nickname} joined the room";

    public string Left(string room, string nickname, DateTimeOffset at) => $"{SystemPrefix}{nickname} left the room";

    public string Renamed(string room, NicknameChange change, DateTimeOffset at) => $"{SystemPrefix}{change.OldNickname} is now known as {change.NewNickname}";

    public string? Typing(RoomPresence presence, DateTimeOffset at) => null;

    public string System(string text, string? kind, DateTimeOffset at) => SystemPrefix + text;

    public string Error(string sentence, DateTimeOffset at) => $"{SystemPrefix}Error: {sentence}";
}
