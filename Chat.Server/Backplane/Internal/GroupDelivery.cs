using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Protocol;
using Microsoft.Extensions.Logging.Abstractions;

namespace Chat.Server.Backplane.Internal;

/// <summary>
/// What the official backplane sees of this node's members of one group: a single stand-in for all of
/// them, whose writes go to the members here as this node's own view lists them. With one stand-in per
/// node and group, a publish from here excludes one id (its own stand-in) instead of every member here,
/// which every node receiving the publish would otherwise read and check each of its members against.
/// </summary>
internal sealed class GroupDelivery(string connectionId, Func<SerializedHubMessage, Task> write)
    : HubConnectionContext(new DefaultConnectionContext(connectionId), Options, NullLoggerFactory.Instance)
{
    private static readonly HubConnectionContextOptions Options = new()
    {
        KeepAliveInterval = TimeSpan.FromSeconds(15),
        ClientTimeoutInterval = TimeSpan.FromSeconds(30),
        StreamBufferCapacity = 1,
    };

    public override string ConnectionId => connectionId;

    // It lives as long as this node has a member in the group; the cluster layer ends it.
    public override CancellationToken ConnectionAborted => CancellationToken.None;

    public override ValueTask WriteAsync(HubMessage message, CancellationToken cancellationToken = default) =>
        new(write(new SerializedHubMessage(message)));

    public override ValueTask WriteAsync(SerializedHubMessage message, CancellationToken cancellationToken = default) =>
        new(write(message));

    public override void Abort()
    {
    }
}
