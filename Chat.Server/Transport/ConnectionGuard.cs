using System.Collections.Concurrent;
using System.IO.Pipelines;
using Chat.Server.Admin;
using Chat.Server.Hosting;
using Chat.Server.Transport.Internal;
using Microsoft.AspNetCore.Connections;
using Microsoft.Extensions.Options;

namespace Chat.Server.Transport;

/// <summary>
/// Watches every hub connection at the transport: a client that stops reading (its outgoing buffer
/// stays full) or goes silent (nothing received, not even a ping) is closed after a bounded time, so
/// what it holds is freed and it recovers by seq when it returns. SignalR's own client timeout only
/// starts once a client has pinged, and nothing in SignalR drops a client that stops reading.
/// It is also the list of open connections that a graceful shutdown closes.
/// </summary>
public sealed class ConnectionGuard(IOptions<ChatLimitsOptions> options, TimeProvider time, ChatMetrics metrics, RecentActivity activity, ILogger<ConnectionGuard> logger) : BackgroundService
{
    private static readonly TimeSpan CheckInterval = TimeSpan.FromSeconds(1);

    private readonly ConcurrentDictionary<string, (ConnectionContext Connection, WatchedTransport Transport)> _connections = new(StringComparer.Ordinal);

    public int Count => _connections.Count;

    /// <summary>This node's open connections (in a cluster, <c>Clients.All</c> would reach every node's).</summary>
    public IReadOnlyList<string> ConnectionIds => [.. _connections.Keys];

    /// <summary>The connection middleware: runs before the hub for each connection.</summary>
    public ConnectionDelegate Watch(ConnectionDelegate next) => async connection =>
    {
        var transport = new WatchedTransport(connection.Transport, time, metrics);
        connection.Transport = transport;
        _connections[connection.ConnectionId] = (connection, transport);
        try
        {
            await next(connection);
        }
        finally
        {
            _connections.TryRemove(connection.ConnectionId, out _);
        }
    };

    /// <summary>Closes one connection of this node; false when it has none by that id.</summary>
    public bool Abort(string connectionId, string reason)
    {
        if (!_connections.TryGetValue(connectionId, out var entry))
        {
            return false;
        }

        entry.Connection.Abort(new ConnectionAbortedException(reason));
        return true;
    }

    public void AbortAll()
    {
        foreach (var (connection, _) in _connections.Values)
        {
            connection.Abort(new ConnectionAbortedException("The server is shutting down."));
        }
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(CheckInterval, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                CheckAll();
            }
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
        }
    }

    private void CheckAll()
    {
        var limits = options.Value;
        var stallLimit = TimeSpan.FromSeconds(limits.StallTimeoutSeconds);
        var silenceLimit = TimeSpan.FromSeconds(limits.ClientTimeoutSeconds);
        foreach (var (id, (connection, transport)) in _connections)
        {
            if (transport.StalledFor() is { } stalled && stalled > stallLimit)
            {
                metrics.Rejected("stalled");
                logger.StalledClient(id, stalled.TotalSeconds);
                activity.Stalled(id);
                connection.Abort(new ConnectionAbortedException("The client stopped reading."));
            }
            else if (transport.SilentFor() > silenceLimit)
            {
                metrics.Rejected("silent");
                logger.SilentClient(id, silenceLimit.TotalSeconds);
                connection.Abort(new ConnectionAbortedException("The client stopped sending."));
            }
        }
    }
}
