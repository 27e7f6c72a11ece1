using System.Net;
using Chat.Protocol;
using Chat.Server.Doors.Internal;
using Chat.Server.Hosting;
using Chat.Server.Hubs;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.Options;

namespace Chat.Server.Doors;

/// <summary>
/// Opens a hub connection for a door's user, inside this process: SignalR's own .NET client
/// (<see cref="HubConnection"/>) on one end of a pair of in-memory pipes, the hub's connection pipeline
/// (<see cref="HubPipeline"/>: the guard, the filters, the hub) on the other. A door user is then a hub
/// connection like any other: the same nickname rules, rate limits, groups, backplane, presence,
/// history and shutdown notice, and one delivery path. The door only translates its dialect to hub
/// calls and the hub's events to its dialect.
/// </summary>
/// <remarks>
/// SignalR's client queues the hub's invocations without bound before it runs the handlers, so a
/// door whose client stops reading does not stop the hub's writes: each door bounds its own writes
/// to the client by <see cref="ChatLimitsOptions.StallTimeoutSeconds"/> and drops a client that stalls.
/// </remarks>
public sealed class DoorHubConnections(HubPipeline hub, IOptions<ChatLimitsOptions> limits, ILoggerFactory loggers)
{
    private static readonly TimeSpan RefusalCloseWait = TimeSpan.FromSeconds(2);

    /// <summary>
    /// Connects as <paramref name="nickname"/> (null: the server picks one), or as the account of
    /// <paramref name="accessToken"/> when it carries one (checked by the hub's pipeline, as on every path), and returns the connection
    /// once the hub has accepted it, with the nickname it holds; the caller registers its handlers
    /// before the start through <paramref name="configure"/>, so no event is missed.
    /// </summary>
    /// <exception cref="DoorRefusedException">The hub refused the connection; the message is its sentence (e.g. the nickname is taken).</exception>
    public async Task<DoorConnection> ConnectAsync(
        string door,
        string? nickname,
        string? clientKey,
        string? accessToken,
        IPEndPoint? remote,
        Action<HubConnection>? configure = null,
        CancellationToken cancellationToken = default)
    {
        var options = limits.Value;
        var factory = new InProcessConnectionFactory(hub, new DoorConnectionRequest(door, nickname, clientKey, accessToken, remote), options);

        // The hub drops a client that is silent for ClientTimeoutSeconds: ping at half of it, like the page.
        var keepAlive = TimeSpan.FromSeconds(Math.Max(1, options.ClientTimeoutSeconds / 2.0));
        var connection = new HubConnection(
            factory,
            new JsonHubProtocol(),
            new DnsEndPoint("localhost", 0),
            EmptyServices.Instance,
            loggers)
        {
            KeepAliveInterval = keepAlive,
            ServerTimeout = TimeSpan.FromSeconds(Math.Max(options.ClientTimeoutSeconds, 2 * keepAlive.TotalSeconds)),
            HandshakeTimeout = TimeSpan.FromSeconds(options.HandshakeTimeoutSeconds),
        };
        configure?.Invoke(connection);

        // A refusal (a taken nickname) closes the connection right after the handshake, with the hub's
        // sentence: the first call fails, and the close says why.
        var closed = new TaskCompletionSource<Exception?>(TaskCreationOptions.RunContinuationsAsynchronously);
        connection.Closed += error =>
        {
            closed.TrySetResult(error);
            return Task.CompletedTask;
        };
        try
        {
            await connection.StartAsync(cancellationToken);
            var profile = await connection.InvokeAsync<UserProfile>(nameof(IChatHub.Me), cancellationToken);
            return new DoorConnection(connection, profile.Nickname, factory.CloseReason);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The failed call can come before the Closed event that carries the hub's sentence: wait for it a moment.
            var reason = ex;
            try
            {
                reason = await closed.Task.WaitAsync(RefusalCloseWait, CancellationToken.None) ?? ex;
            }
            catch (TimeoutException)
            {
            }

            await connection.DisposeAsync();
            throw new DoorRefusedException(DoorRefusedException.SentenceOf(reason), reason);
        }
    }

    private sealed class EmptyServices : IServiceProvider
    {
        public static readonly EmptyServices Instance = new();

        public object? GetService(Type serviceType) => null;
    }
}
