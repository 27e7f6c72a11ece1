using Chat.Protocol;
using Chat.Server.Hubs;
using Chat.Server.Transport;
using Microsoft.AspNetCore.SignalR;

namespace Chat.Server.Hosting;

/// <summary>
/// Graceful shutdown for hub connections. When the host starts stopping, every client is told the
/// server is restarting and its connection is closed, so it reconnects at once (to another node in a
/// cluster) instead of waiting out the host's shutdown timeout. New hub requests while the server
/// stops are refused (see <c>MapChat</c>).
/// </summary>
/// <remarks>
/// SignalR closes its connections in an <c>ApplicationStopping</c> callback registered when the hub
/// endpoint is mapped; cancellation callbacks run last-registered first, so registering once the host
/// has started puts the notice ahead of that.
/// </remarks>
public sealed class ConnectionDrainer(
    IHubContext<ChatHub, IChatClient> hub,
    ConnectionGuard connections,
    IHostApplicationLifetime lifetime,
    ILogger<ConnectionDrainer> logger) : IHostedLifecycleService
{
    public const string RestartingNotice = "restarting";

    private static readonly TimeSpan NoticeTimeout = TimeSpan.FromSeconds(2);

    // The notice is written to each connection's pipe when the send completes; closing at once can
    // discard it before the transport puts it on the wire.
    private static readonly TimeSpan NoticeGrace = TimeSpan.FromMilliseconds(300);

    private CancellationTokenRegistration _registration;
    private volatile bool _stopping;

    public bool IsStopping => _stopping;

    public Task StartedAsync(CancellationToken cancellationToken)
    {
        _registration = lifetime.ApplicationStopping.Register(Drain);
        return Task.CompletedTask;
    }

    public Task StoppedAsync(CancellationToken cancellationToken) => _registration.DisposeAsync().AsTask();

    public Task StartingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private void Drain()
    {
        _stopping = true;
        logger.Draining(connections.Count);
        try
        {
            // A stopping callback is synchronous; the wait is bounded by the timeout.
            var notice = hub.Clients.All.Notice(new ServerNotice(RestartingNotice, "The server is restarting; reconnecting…"));
            if (!notice.Wait(NoticeTimeout))
            {
                logger.NoticeTimedOut();
            }

            Thread.Sleep(NoticeGrace);
        }
        catch (AggregateException)
        {
            logger.NoticeTimedOut();
        }

        connections.AbortAll();
    }
}
