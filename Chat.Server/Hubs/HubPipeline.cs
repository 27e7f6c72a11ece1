using Microsoft.AspNetCore.Connections;

namespace Chat.Server.Hubs;

/// <summary>
/// The hub's connection pipeline (the guard, then the hub) for connections that do not come through
/// <c>MapConnections</c>: the direct WebSocket path and the doors run theirs through it, so every hub
/// connection meets the same guard, filters and hub, however it arrived.
/// </summary>
public sealed class HubPipeline
{
    private ConnectionDelegate? _pipeline;

    /// <summary>False until <see cref="HubServiceExtensions.MapChatHub"/> has built the pipeline.</summary>
    public bool IsReady => _pipeline is not null;

    internal void Use(ConnectionDelegate pipeline) => _pipeline = pipeline;

    /// <summary>Runs <paramref name="connection"/> through the guard and the hub; completes when the hub is done with it.</summary>
    public Task RunAsync(ConnectionContext connection) =>
        (_pipeline ?? throw new InvalidOperationException("The hub is not mapped yet: MapChatHub builds its pipeline.")).Invoke(connection);
}
