using System.Text.Json;
using Chat.Tests.Infrastructure;
using Chat.Tests.Interop;

namespace Chat.Tests.Doors;

/// <summary>Python's websockets library (Debian's python3-websockets, under /usr/bin/python3) on the <c>/ws</c> door, one run a scenario.</summary>
internal static class WebSocketDoorClient
{
    private const string Python = "/usr/bin/python3";

    /// <summary>Runs the actions of <c>python/ws_door_client.py</c> and returns its report: the frames, the close code, a refused upgrade's status.</summary>
    public static Task<JsonElement> RunAsync(string url, string? origin, params string[] actions) =>
        ExternalClient.RunAsync(Python, Path.Combine(RepositoryPaths.Root, "Chat.Tests", "Doors", "python"), ["ws_door_client.py", url, origin ?? "-", .. actions]);

    public static IReadOnlyList<JsonElement> Frames(JsonElement report) => [.. report.GetProperty("frames").EnumerateArray()];

    public static int? CloseCode(JsonElement report) =>
        report.GetProperty("close").ValueKind == JsonValueKind.Number ? report.GetProperty("close").GetInt32() : null;
}
