using System.Collections.Concurrent;
using Chat.Protocol;
using Chat.Server.Registry;

namespace Chat.Server.Accounts.Moderation;

/// <summary>
/// This node's copy of every room registration, so joins and sends check bans and modes without a
/// database round trip. It is loaded when the server starts. A change is written to the store, then
/// every node reads that room back from the shared database when the admin command channel brings it
/// (<see cref="RoomModeration"/>). A node that was cut off from Redis may have missed some, so it reads
/// every registration again when Redis answers again.
/// </summary>
/// <remarks>
/// Readers take the dictionary's current immutable <see cref="RoomRegistration"/> without a lock.
/// Writers to the dictionary (a reload of one room or of all) take <c>_loads</c> one at a time, so a
/// reload that read the database earlier never replaces one that read it later.
/// </remarks>
public sealed class RoomSettingsCache(IRoomSettingsStore store, ILogger<RoomSettingsCache> logger, RedisConnection? redis = null) : IHostedService
{
    private readonly ConcurrentDictionary<string, RoomRegistration> _rooms = new(StringComparer.Ordinal);
    private readonly SemaphoreSlim _loads = new(1, 1);

    /// <summary>Raised after a registration changed here or on another node (the lobby shows topics).</summary>
    public event Action? Changed;

    /// <summary>The room's registration as this node knows it; null when it has none.</summary>
    public RoomRegistration? Find(string room) => _rooms.GetValueOrDefault(room);

    /// <summary>What every member may know of the room's settings, as this node knows them.</summary>
    public RoomInfo InfoOf(string room) => Find(room)?.Info() ?? RoomInfo.Unowned(room);

    /// <summary>A room with its topic, for <c>/who</c>.</summary>
    public RoomSummary WithTopic(RoomSummary room) => Find(room.Name)?.Topic is { } topic ? room with { Topic = topic } : room;

    /// <summary>The rooms with their topics, for <c>/list</c> and <c>/rooms</c>.</summary>
    public IReadOnlyList<RoomSummary> WithTopics(IReadOnlyList<RoomSummary> rooms) => [.. rooms.Select(WithTopic)];

    /// <summary>The lobby's rooms with their topics.</summary>
    public IReadOnlyList<LobbyRoom> WithTopics(IReadOnlyList<LobbyRoom> rooms) =>
        [.. rooms.Select(room => Find(room.Name)?.Topic is { } topic ? room with { Topic = topic } : room)];

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await store.InitializeAsync(cancellationToken);
        await ReloadAllAsync(cancellationToken);
        if (redis is not null)
        {
            redis.Recovered += OnRedisRecovered;
        }
    }

    public Task StopAsync(CancellationToken cancellationToken)
    {
        if (redis is not null)
        {
            redis.Recovered -= OnRedisRecovered;
        }

        return Task.CompletedTask;
    }

    /// <summary>Reads one room's registration from the store again.</summary>
    public async Task ReloadAsync(string room, CancellationToken cancellationToken = default)
    {
        await _loads.WaitAsync(cancellationToken);
        try
        {
            if (await store.LoadAsync(room, cancellationToken) is { } registration)
            {
                _rooms[room] = registration;
            }
            else
            {
                _rooms.TryRemove(room, out _);
            }
        }
        finally
        {
            _loads.Release();
        }

        Changed?.Invoke();
    }

    /// <summary>Reads every registration from the store again.</summary>
    public async Task ReloadAllAsync(CancellationToken cancellationToken = default)
    {
        await _loads.WaitAsync(cancellationToken);
        try
        {
            var all = await store.LoadAllAsync(cancellationToken);
            foreach (var registration in all)
            {
                _rooms[registration.Room] = registration;
            }

            var kept = all.Select(registration => registration.Room).ToHashSet(StringComparer.Ordinal);
            foreach (var gone in _rooms.Keys.Where(room => !kept.Contains(room)))
            {
                _rooms.TryRemove(gone, out _);
            }

            logger.Loaded(all.Count);
        }
        finally
        {
            _loads.Release();
        }

        Changed?.Invoke();
    }

    private void OnRedisRecovered() => _ = ReloadAllRelayedAsync();

    private async Task ReloadAllRelayedAsync()
    {
        try
        {
            await ReloadAllAsync();
        }
        catch (Exception ex)
        {
            logger.ReloadFailed("*", ex);
        }
    }
}
