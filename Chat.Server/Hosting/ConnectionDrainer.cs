using System.Collections.Concurrent;
using Chat.Protocol;
using Chat.Server.Hubs;
using Microsoft.AspNetCore.SignalR;

namespace Chat.Server.Hosting;

/// <summary>
/// Graceful shutdown for hub connections. WebSockets would otherwise stay open until the host's
/// shutdown timeout; instead, when the host starts stopping, every client is told the server is
/// restarting and its connection is closed, so it reconnects (to another node in a cluster) at once.
/// New connections arriving while the server stops are closed straight away.
/// </summary>
public sealed class ConnectionDrainer(IHubContext<ChatHub, IChatClient> hub, ILogger<ConnectionDrainer> logger) : IHostedLifecycleService
{
    public const string RestartingNotice = "restarting";

    private static readonly TimeSpan NoticeTimeout = TimeSpan.FromSeconds(2);

    private readonly ConcurrentDictionary<string, HubCallerContext> _connections = new(StringComparer.Ordinal);
    private volatile bool _stopping;

    public bool IsStopping => _stopping;

    /// <summary>Tracks a connection; false when the server is stopping and the connection should be closed.</summary>
    public bool TryAdd(HubCallerContext context)
    {
        _connections[context.ConnectionId] = context;
        return !_stopping;
    }

    public void Remove(string connectionId) => _connections.TryRemove(connectionId, out _);

    public async Task StoppingAsync(CancellationToken cancellationToken)
    {
        _stopping = true;
        logger.Draining(_connections.Count);
        try
        {
            await hub.Clients.All.Notice(new ServerNotice(RestartingNotice, "The server is restarting; reconnecting…"))
                .WaitAsync(NoticeTimeout, cancellationToken);
        }
        catch (Exception ex) when (ex is TimeoutException or OperationCanceledException)
        {
            logger.NoticeTimedOut();
        }

        foreach (var context in _connections.Values)
        {
            context.Abort();
        }
    }

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}
