using System.Text.Json;
using Chat.Server.Registry;
using StackExchange.Redis;

namespace Chat.Server.Admin.Internal;

/// <summary>
/// Carries admin commands to every node. The node whose screen was used acts on its own connections
/// at once, then publishes the command on the Redis channel <c>{prefix}admin</c>; every other node
/// acts on its own connections when it arrives. Without Redis there are no other nodes. Pub/sub is
/// fire-and-forget: a node that is cut off from Redis at that moment misses the command (the
/// response says whether it went out).
/// </summary>
internal sealed class AdminCommandChannel(AdminActions actions, ILogger<AdminCommandChannel> logger, RedisConnection? redis = null) : IHostedService
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private string Channel => redis!.Prefix + "admin";

    /// <summary>Runs the command here, then sends it to the other nodes.</summary>
    public async Task<AdminOutcome> RunAsync(AdminCommand command, CancellationToken cancellationToken = default)
    {
        var here = await actions.RunAsync(command, cancellationToken);
        if (redis is null)
        {
            return new AdminOutcome(here, OtherNodesTold: null);
        }

        var told = await redis.TryPublishAsync(Channel, JsonSerializer.SerializeToUtf8Bytes(command, Json));
        if (!told)
        {
            logger.CommandNotPublished(command.Action, command.Target);
        }

        return new AdminOutcome(here, told);
    }

    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (redis is not null)
        {
            // Not awaited, so a start without Redis is not held up; the multiplexer subscribes (again)
            // whenever Redis answers.
            _ = redis.Subscriber.SubscribeAsync(RedisChannel.Literal(Channel), OnCommand)
                .ContinueWith(static task => _ = task.Exception, TaskContinuationOptions.OnlyOnFaulted);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) =>
        redis is null ? Task.CompletedTask : redis.Subscriber.UnsubscribeAsync(RedisChannel.Literal(Channel), OnCommand);

    private void OnCommand(RedisChannel channel, RedisValue value) => _ = RunRelayedAsync(value);

    private async Task RunRelayedAsync(RedisValue value)
    {
        try
        {
            var command = JsonSerializer.Deserialize<AdminCommand>((byte[])value!, Json);
            if (command is null || command.Node == redis!.NodeId)
            {
                return;
            }

            var here = await actions.RunAsync(command);
            logger.CommandRelayed(command.Node, command.By, command.Action, command.Target, here);
        }
        catch (Exception ex)
        {
            logger.CommandFailed(ex);
        }
    }
}
