using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.Logging.Abstractions;

namespace Chat.Server.Backplane.Internal;

/// <summary>
/// What the official backplane sees of one of this node's connections: the same id, no user (sends
/// to a user travel as a group, see <see cref="ClusterHubLifetimeManager{THub}"/>), and every message
/// it delivers is written to the real connection. A stand-in rather than the connection itself
/// because the backplane is replaced after an outage, and the connection's own features must not
/// carry a discarded backplane's state.
/// </summary>
internal sealed class RemoteDelivery(HubConnectionContext connection)
    : HubConnectionContext(new DefaultConnectionContext(connection.ConnectionId), Options, NullLoggerFactory.Instance)
{
    private static readonly HubConnectionContextOptions Options = new()
    {
        KeepAliveInterval = TimeSpan.FromSeconds(15),
        ClientTimeoutInterval = TimeSpan.FromSeconds(30),
        StreamBufferCapacity = 1,
    };

    public override string ConnectionId => connection.ConnectionId;

    public override CancellationToken ConnectionAborted => connection.ConnectionAborted;

    public override ValueTask WriteAsync(HubMessage message, CancellationToken cancellationToken = default) =>
        connection.WriteAsync(message, cancellationToken);

    public override ValueTask WriteAsync(SerializedHubMessage message, CancellationToken cancellationToken = default) =>
        connection.WriteAsync(message, cancellationToken);

    public override void Abort() => connection.Abort();
}
