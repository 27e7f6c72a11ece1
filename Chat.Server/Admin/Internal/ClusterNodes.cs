using System.Text.Json;
using Chat.Server.Registry;
using Microsoft.Extensions.Options;
using StackExchange.Redis;

namespace Chat.Server.Admin.Internal;

/// <summary>
/// Every node of the cluster as the admin screen lists it. Each node writes its <see cref="NodeStats"/>
/// to Redis every heartbeat interval, under a key that expires after <see cref="RedisOptions.NodeTimeout"/>
/// (a dead node drops off the list as it drops out of the registry), and removes it when it stops.
/// The list is the registry's set of nodes with their records. Without Redis, or while it is away,
/// the list is this node.
/// </summary>
internal sealed class ClusterNodes(ThisNode node, ILogger<ClusterNodes> logger, RedisConnection? redis = null, IOptions<RedisOptions>? redisOptions = null) : BackgroundService
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>Every node's latest record (this node's as of now), by id.</summary>
    public async Task<IReadOnlyList<NodeStats>> ListAsync(NodeStats here, CancellationToken cancellationToken = default)
    {
        if (redis is null || !redis.IsAvailable)
        {
            return [here];
        }

        try
        {
            var ids = await redis.RunAsync(database => database.SetMembersAsync(redis.Prefix + "nodes"), cancellationToken);
            var others = ids.Select(id => (string)id!).Where(id => id != here.Id).Order(StringComparer.Ordinal).ToArray();
            var records = await redis.RunAsync(database => database.StringGetAsync([.. others.Select(KeyOf)]), cancellationToken);
            return [here, .. records.Where(record => record.HasValue).Select(record => JsonSerializer.Deserialize<NodeStats>((string)record!, Json)!)];
        }
        catch (RedisUnavailableException)
        {
            return [here];
        }
    }

    public override async Task StopAsync(CancellationToken cancellationToken)
    {
        await base.StopAsync(cancellationToken);
        if (redis is { IsAvailable: true })
        {
            try
            {
                await redis.RunAsync(database => database.KeyDeleteAsync(KeyOf(node.Id)), cancellationToken);
            }
            catch (RedisUnavailableException)
            {
                // The record expires by itself.
            }
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        if (redis is null || redisOptions is null)
        {
            return;
        }

        using var timer = new PeriodicTimer(redisOptions.Value.HeartbeatInterval);
        do
        {
            if (redis.IsAvailable)
            {
                await PublishAsync(stoppingToken);
            }
        }
        while (await WaitAsync(timer, stoppingToken));
    }

    private static async Task<bool> WaitAsync(PeriodicTimer timer, CancellationToken stoppingToken)
    {
        try
        {
            return await timer.WaitForNextTickAsync(stoppingToken);
        }
        catch (OperationCanceledException)
        {
            return false;
        }
    }

    private async Task PublishAsync(CancellationToken stoppingToken)
    {
        try
        {
            var health = await node.CheckHealthAsync(stoppingToken);
            var record = JsonSerializer.Serialize(node.Stats(health.Status), Json);
            await redis!.RunAsync(database => database.StringSetAsync(KeyOf(node.Id), record, redisOptions!.Value.NodeTimeout), stoppingToken);
        }
        catch (RedisUnavailableException ex)
        {
            logger.StatsNotPublished(ex.Message);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private RedisKey KeyOf(string id) => redis!.Prefix + "admin:node:" + id;
}
