using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Chat.Protocol;

namespace Chat.Server.Doors.Internal;

/// <summary>
/// The JSON of <c>/ws/chat/{room}</c> and <c>/ws/lobby</c> (docs/protocol.md, "Doors"): in
/// <c>message</c>, <c>set_username</c> and <c>typing</c>; out <c>system</c>, <c>message</c>,
/// <c>user_joined</c>, <c>user_left</c>, <c>typing</c>, <c>error</c> and the lobby's
/// <c>rooms_update</c>, each with an ISO 8601 UTC <c>timestamp</c>.
/// </summary>
internal sealed class JsonRoomDialect : IRoomDialect
{
    public const string RoomDoor = "ws-room";

    public const string LobbyDoor = "ws-lobby";

    public static readonly JsonRoomDialect Instance = new();

    private static readonly JsonSerializerOptions Output = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    // Our own messages are objects one level deep; anything deeper is not for us.
    private static readonly JsonDocumentOptions Input = new() { MaxDepth = 8 };

    public string Door => RoomDoor;

    public DoorInput Parse(string text)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(text, Input);
        }
        catch (JsonException)
        {
            return DoorInput.Invalid("That is not JSON. Send an object such as {\"type\": \"message\", \"message\": \"Hello\"}.");
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("type", out var type) || type.ValueKind != JsonValueKind.String)
            {
                return DoorInput.Invalid("Each message is an object with a \"type\": message, set_username or typing.");
            }

            return type.GetString() switch
            {
                "message" => StringField(root, "message") is { } message
                    ? DoorInput.Message(message)
                    : DoorInput.Invalid("A message needs its text as a string in \"message\"."),
                "set_username" => StringField(root, "username") is { } username
                    ? DoorInput.Rename(username)
                    : DoorInput.Invalid("set_username needs the new name as a string in \"username\"."),
                "typing" => DoorInput.Typing,
                var unknown => DoorInput.Invalid($"Unknown type \"{Shorten(unknown)}\". Send message, set_username or typing."),
            };
        }
    }

    public string Welcome(string room, string nickname, string clientId, DateTimeOffset at) => Write(new JsonObject
    {
        ["type"] = "system",
        ["message"] = $"Welcome to room '{room}'!",
        ["client_id"] = clientId,
        ["username"] = nickname,
        ["room"] = room,
        ["timestamp"] = Timestamp(at),
    });

    public string Message(ChatMessage message, bool history, string? clientId)
    {
        var json = new JsonObject
        {
            ["type"] = "message",
            ["username"] = message.Sender,
            ["message"] = message.Text,
            ["room"] = message.Room,
            ["seq"] = message.Seq,
            ["id"] = message.Id,
            ["timestamp"] = Timestamp(message.SentAt),
        };
        if (clientId is not null)
        {
            json["client_id"] = clientId;
        }

        if (history)
        {
            json["history"] = true;
        }

        return Write(json);
    }

    public string Joined(string room, string nickname, DateTimeOffset at) => Presence("user_joined", room, nickname, $"{nickname} joined the room", at);

    public string Left(string room, string nickname, DateTimeOffset at) => Presence("user_left", room, nickname, $"{nickname} left the room", at);

    public string Renamed(string room, NicknameChange change, DateTimeOffset at) => Write(new JsonObject
    {
        ["type"] = "system",
        ["message"] = $"{change.OldNickname} is now known as {change.NewNickname}",
        ["old_username"] = change.OldNickname,
        ["username"] = change.NewNickname,
        ["room"] = room,
        ["timestamp"] = Timestamp(at),
    });

    public string? Typing(RoomPresence presence, DateTimeOffset at) => Write(new JsonObject
    {
        ["type"] = "typing",
        ["username"] = presence.Nickname,
        ["room"] = presence.Room,
        ["timestamp"] = Timestamp(at),
    });

    public string System(string text, string? kind, DateTimeOffset at)
    {
        var json = new JsonObject { ["type"] = "system", ["message"] = text };
        if (kind is not null)
        {
            json["kind"] = kind;
        }

        json["timestamp"] = Timestamp(at);
        return Write(json);
    }

    public string Error(string sentence, DateTimeOffset at) => Write(new JsonObject
    {
        ["type"] = "error",
        ["message"] = sentence,
        ["timestamp"] = Timestamp(at),
    });

    /// <summary>The lobby's <c>rooms_update</c>: every room with its user count and nicknames.</summary>
    public string RoomsUpdate(IReadOnlyList<RoomSummary> rooms, DateTimeOffset at)
    {
        var byName = new JsonObject();
        foreach (var room in rooms)
        {
            byName[room.Name] = new JsonObject
            {
                ["users"] = room.UserCount,
                ["usernames"] = new JsonArray([.. room.Users.Select(user => (JsonNode?)user)]),
            };
        }

        return Write(new JsonObject { ["type"] = "rooms_update", ["rooms"] = byName, ["timestamp"] = Timestamp(at) });
    }

    private static string Presence(string type, string room, string nickname, string text, DateTimeOffset at) => Write(new JsonObject
    {
        ["type"] = type,
        ["username"] = nickname,
        ["message"] = text,
        ["room"] = room,
        ["timestamp"] = Timestamp(at),
    });

    private static string? StringField(JsonElement root, string name) =>
        root.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static string Shorten(string? text) => text is { Length: > 32 } ? text[..32] + "…" : text ?? string.Empty;

    private static string Timestamp(DateTimeOffset at) => at.UtcDateTime.ToString("O", CultureInfo.InvariantCulture);

    private static string Write(JsonObject json) => json.ToJsonString(Output);
}
