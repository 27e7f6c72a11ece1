using System.Text.Json;
using Chat.Tests.Interop;

namespace Chat.Tests.Doors;

/// <summary>
/// Python's websockets library (Debian's python3-websockets, under /usr/bin/python3) as a client of the
/// room doors, one scenario of Interop/python/room_doors_client.py a run; the JSON line it prints.
/// </summary>
internal static class RoomDoorsClient
{
    private const string Python = "/usr/bin/python3";

    public static Task<JsonElement> RunAsync(string scenario, Uri server, string room, string nickname, string extra = "") =>
        ExternalClient.RunAsync(Python, ExternalClient.Directory("python"), "room_doors_client.py", scenario, WebSocketBase(server), room, nickname, extra);

    /// <summary>
    /// The <c>message</c> objects a JSON room door client saw, after checking what every one of its
    /// runs must show: <paramref name="texts"/> in that order, in rising <c>seq</c>, each once.
    /// </summary>
    public static List<JsonElement> MessagesShouldBe(JsonElement report, params string[] texts)
    {
        List<JsonElement> messages = [.. report.GetProperty("seen").EnumerateArray().Where(m => m.GetProperty("type").GetString() == "message")];
        messages.Select(m => m.GetProperty("message").GetString()).Should().Equal(texts);
        messages.Select(m => m.GetProperty("seq").GetInt64()).Should().BeInAscendingOrder().And.OnlyHaveUniqueItems();
        return messages;
    }

    /// <summary>The server's address as a WebSocket base: <c>ws://127.0.0.1:PORT</c>.</summary>
    public static string WebSocketBase(Uri server) => $"ws://{server.Authority}";
}
