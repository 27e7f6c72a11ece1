using System.Net;
using System.Text.Json;

namespace Chat.Tests.Admin;

/// <summary>The admin API as a test calls it: from this machine (loopback), with or without a browser's Origin.</summary>
public static class AdminHttp
{
    private static readonly HttpClient Http = new() { Timeout = TimeSpan.FromSeconds(10) };

    /// <summary>The overview's JSON text, after checking it was answered.</summary>
    public static async Task<string> OverviewTextAsync(Uri server)
    {
        using var response = await Http.GetAsync(new Uri(server, "/admin/api/overview"));
        response.StatusCode.Should().Be(HttpStatusCode.OK);
        return await response.Content.ReadAsStringAsync();
    }

    public static async Task<JsonElement> OverviewAsync(Uri server) => JsonDocument.Parse(await OverviewTextAsync(server)).RootElement;

    /// <summary>Polls the overview until <paramref name="condition"/> holds; every 200 ms, at most <paramref name="timeout"/>.</summary>
    public static async Task<JsonElement> WaitForOverviewAsync(Uri server, Func<JsonElement, bool> condition, TimeSpan? timeout = null)
    {
        using var deadline = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(15));
        using var ticks = new PeriodicTimer(TimeSpan.FromMilliseconds(200));
        JsonElement overview;
        do
        {
            overview = await OverviewAsync(server);
            if (condition(overview))
            {
                return overview;
            }
        }
        while (await ticks.WaitForNextTickAsync(deadline.Token).AsTask().ContinueWith(tick => !tick.IsCanceled && tick.Result, TaskScheduler.Default));

        throw new TimeoutException($"The overview never showed what the test waited for; last: {overview}");
    }

    public static async Task<(HttpStatusCode Status, string Body)> GetAsync(Uri server, string path, string? origin = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(server, path));
        return await SendAsync(request, origin);
    }

    public static async Task<(HttpStatusCode Status, string Body)> PostAsync(Uri server, string path, string? origin = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(server, path));
        return await SendAsync(request, origin);
    }

    public static IEnumerable<string> Strings(JsonElement array) => array.EnumerateArray().Select(item => item.GetString()!);

    private static async Task<(HttpStatusCode Status, string Body)> SendAsync(HttpRequestMessage request, string? origin)
    {
        if (origin is not null)
        {
            request.Headers.Add("Origin", origin);
        }

        using var response = await Http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }
}
