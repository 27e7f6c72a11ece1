using Chat.Protocol;

namespace Chat.Server.Doors.Internal;

/// <summary>
/// How one room door speaks: its client's messages as hub calls, the hub's events as its client's
/// messages. A null answer means the dialect has no way to say that; nothing is sent.
/// </summary>
internal interface IRoomDialect
{
    /// <summary>The door's name: <see cref="DoorFeature"/> and the <c>chat.transport</c> label.</summary>
    string Door { get; }

    DoorInput Parse(string text);

    string Welcome(string room, string nickname, string clientId, DateTimeOffset at);

    /// <param name="clientId">This connection's id when it sent the message itself, else null.</param>
    string Message(ChatMessage message, bool history, string? clientId);

    string Joined(string room, string nickname, DateTimeOffset at);

    string Left(string room, string nickname, DateTimeOffset at);

    string Renamed(string room, NicknameChange change, DateTimeOffset at);

    string? Typing(RoomPresence presence, DateTimeOffset at);

    string System(string text, string? kind, DateTimeOffset at);

    string Error(string sentence, DateTimeOffset at);
}
