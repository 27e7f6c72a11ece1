using Chat.Bench.Load;
using Chat.Testing;

namespace Chat.Bench.Scenarios;

/// <summary>
/// Users who arrive (connect, join their room) and leave again before a scenario measures, so the
/// server's connect, join and leave paths are loaded and compiled. Their user numbers are negative
/// (-1, -2, …), so their nicknames never meet the measured users' ones.
/// </summary>
public static class WarmupArrivals
{
    /// <summary>One round of <paramref name="users"/>, numbered from <c>-1 - <paramref name="firstIndex"/></c> down.</summary>
    public static async Task RunAsync(ServerProcess server, HubDialect dialect, int users, int rooms, int concurrency, int firstIndex = 0, CancellationToken cancellationToken = default)
    {
        var fleet = await ClientFleet.OpenAsync(
            users,
            user => dialect.HubUri(server.Address, -1 - user - firstIndex),
            user => RoomLayout.RoomName(user % rooms),
            NullEventSink.Instance,
            _ => null,
            concurrency,
            cancellationToken: cancellationToken);
        await fleet.DisposeAsync();
    }
}
