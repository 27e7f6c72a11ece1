using System.Buffers.Text;
using System.IO.Pipelines;
using System.Net;
using System.Security.Cryptography;
using Chat.Server.Hosting;
using Chat.Server.Hubs;
using Chat.Server.Transport;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Http.Features;

namespace Chat.Server.Doors.Internal;

/// <summary>
/// The .NET client's connection factory for one door user: a pair of pipes whose far end is run
/// through the hub's pipeline as a server connection carrying the door's <see cref="ConnectionRequest"/>
/// (nickname, key and access token), its <see cref="DoorFeature"/> and the user's address.
/// </summary>
internal sealed class InProcessConnectionFactory(HubPipeline hub, DoorConnectionRequest request, ChatLimitsOptions limits) : IConnectionFactory
{
    /// <summary>Why the server closed the connection, once it has (the connection guard's or the rate limit's reason).</summary>
    public CloseReasonFeature CloseReason { get; } = new();

    public ValueTask<ConnectionContext> ConnectAsync(EndPoint endpoint, CancellationToken cancellationToken = default)
    {
        // Door to hub: a few messages' worth; hub to door: the outgoing budget of any hub connection.
        var toHub = new Pipe(new PipeOptions(pauseWriterThreshold: limits.MaxMessageBytes * 2L, resumeWriterThreshold: limits.MaxMessageBytes, useSynchronizationContext: false));
        var toDoor = new Pipe(new PipeOptions(pauseWriterThreshold: limits.OutgoingBufferBytes, resumeWriterThreshold: limits.OutgoingBufferBytes / 2, useSynchronizationContext: false));

        // Hub connection ids are unique across the cluster, as SignalR's own are.
        var id = Base64Url.EncodeToString(RandomNumberGenerator.GetBytes(16));
        var server = new DoorServerConnection(id, new DuplexPipe(toHub.Reader, toDoor.Writer), new DuplexPipe(toDoor.Reader, toHub.Writer), CloseReason);
        server.Features.Set(new ConnectionRequest(request.Nickname, request.ClientKey, request.AccessToken));
        server.Features.Set(new DoorFeature(request.Door));
        server.RemoteEndPoint = request.Remote;
        server.LocalEndPoint = endpoint;
        var client = new DefaultConnectionContext(id, new DuplexPipe(toDoor.Reader, toHub.Writer), new DuplexPipe(toHub.Reader, toDoor.Writer));

        _ = RunAsync(server);
        return ValueTask.FromResult<ConnectionContext>(client);
    }

    private async Task RunAsync(DoorServerConnection server)
    {
        try
        {
            await hub.RunAsync(server);
        }
        finally
        {
            // The hub is done: the client's reads end, so HubConnection sees the close.
            await server.Transport.Output.CompleteAsync();
            await server.Transport.Input.CompleteAsync();
        }
    }

    private sealed class DuplexPipe(PipeReader input, PipeWriter output) : IDuplexPipe
    {
        public PipeReader Input { get; } = input;

        public PipeWriter Output { get; } = output;
    }
}
