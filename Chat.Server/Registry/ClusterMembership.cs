using Chat.Protocol;
using Chat.Server.History;
using Chat.Server.Hosting;
using Chat.Server.Registry.Internal;
using Chat.Server.Rooms;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace Chat.Server.Registry;

/// <summary>
/// This node's membership of the cluster. Every heartbeat interval it renews its heartbeat key (and
/// registers its state again when the key was gone, or after Redis came back), and sweeps nodes whose
/// heartbeat expired: their users leave their rooms everywhere, announced once by whichever node's
/// sweep removed them. A node sweeps only after Redis has answered it for a whole
/// <see cref="RedisOptions.NodeTimeout"/>, so after an outage every live node gets the time to beat
/// again before anyone is declared dead. On shutdown it says goodbye: its state leaves Redis at once.
/// It decides when; the duties themselves are the registry's node (<see cref="RegistryNode"/>), which
/// holds the connections they register.
/// </summary>
public sealed class ClusterMembership(
    RedisConnection redis,
    RedisRoomRegistry registry,
    IMessageLog messageLog,
    PresenceAnnouncer presence,
    ChatMetrics metrics,
    IOptions<RedisOptions> options,
    ILogger<ClusterMembership> logger) : BackgroundService
{
    private static readonly TimeSpan GoodbyeWait = TimeSpan.FromSeconds(3);

    private readonly RedisOptions _options = options.Value;
    private readonly RegistryNode _node = registry.Node;
    private readonly SemaphoreSlim _wake = new(0, 1);

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);

        // Connections closed by the drainer finish disconnecting (and announce their own leaving) first.
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        wait.CancelAfter(GoodbyeWait);
        while (_node.ConnectionCount > 0 && !wait.IsCancellationRequested)
        {
            await Task.Delay(50, CancellationToken.None);
        }

        try
        {
            await AnnounceAsync(await _node.LeaveClusterAsync(cancellationToken));
            RegistryLog.LeftCluster(logger, redis.NodeId);
        }
        catch (Exception ex) when (ex is RedisUnavailableException or OperationCanceledException)
        {
            // The other nodes' sweepers remove this node once its heartbeat expires.
            RegistryLog.GoodbyeFailed(logger, ex.Message);
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (messageLog is not PostgresMessageLog)
        {
            RegistryLog.HistoryNotShared(logger);
        }

        redis.Recovered += OnRecovered;
        try
        {
            while (!stoppingToken.IsCancellationRequested)
            {
                if (redis.IsAvailable)
                {
                    await TickAsync(stoppingToken);
                }

                try
                {
                    await _wake.WaitAsync(_options.HeartbeatInterval, stoppingToken);
                }
                catch (OperationCanceledException)
                {
                    return;
                }
            }
        }
        finally
        {
            redis.Recovered -= OnRecovered;
        }
    }

    private async Task TickAsync(CancellationToken stoppingToken)
    {
        try
        {
            var stillAlive = await _node.BeatAsync(_options.NodeTimeout, stoppingToken);
            if (!stillAlive || _node.NeedsResync)
            {
                await AnnounceAsync(await _node.ResyncAsync(stoppingToken));
            }

            if (redis.AvailableFor >= _options.NodeTimeout)
            {
                await AnnounceAsync(await _node.SweepAsync(stoppingToken));
                metrics.PresenceSwept();
            }
        }
        catch (RedisUnavailableException ex)
        {
            RegistryLog.MembershipDeferred(logger, ex.Message);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
        catch (Exception ex)
        {
            RegistryLog.MembershipFailed(logger, ex);
        }
    }

    // Departures found by a sweep (or this node's goodbye) go out at once, after whatever the rooms
    // had pending: the process may be about to exit.
    private Task AnnounceAsync(IReadOnlyList<PresenceChange> changes)
    {
        foreach (var change in changes)
        {
            presence.Announce(change.Room, change.Nickname, change.Joined);
        }

        return presence.FlushAllAsync();
    }

    private void OnRecovered()
    {
        _node.MarkResyncNeeded();
        try
        {
            _wake.Release();
        }
        catch (SemaphoreFullException)
        {
        }
    }
}
