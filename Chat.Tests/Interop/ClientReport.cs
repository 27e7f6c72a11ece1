using System.Text.Json;

namespace Chat.Tests.Interop;

/// <summary>
/// Reads what a client reported as JSON (the scripts' output line, or the page's evaluation): the same
/// shapes whichever client spoke, so every client's test asserts the same things.
/// </summary>
internal static class ClientReport
{
    public const int Burst = 12;

    /// <summary>The close status the client library says the connection ended with.</summary>
    public static int CloseCode(JsonElement report) => report.GetProperty("code").GetInt32();

    /// <summary>A hub completion's result: the room a Join answered for, with no error.</summary>
    public static string JoinedRoom(JsonElement completion)
    {
        completion.TryGetProperty("error", out var error).Should().BeFalse($"the Join failed: {error}");
        return completion.GetProperty("result").GetProperty("room").GetString()!;
    }

    /// <summary>
    /// Every message of the burst came back stored (no error, its whole text), in the order sent, and
    /// the client still has its connection open afterwards.
    /// </summary>
    public static void ShouldHaveStoredTheWholeBurst(JsonElement report)
    {
        var completions = report.GetProperty("completions").EnumerateArray().ToList();
        completions.Should().HaveCount(Burst);
        completions.Select(c => c.TryGetProperty("error", out var error) ? error.GetString() : null).Should().AllBeEquivalentTo((string?)null);
        completions.Select(c => c.GetProperty("textLength").GetInt32()).Should().AllBeEquivalentTo(2000);
        completions.Select(c => c.GetProperty("seq").GetInt64()).Should().BeInAscendingOrder();
        report.GetProperty("open").GetBoolean().Should().BeTrue("the connection should stay open after a burst of valid messages");
    }
}
