using Chat.Server.Transport;
using Microsoft.AspNetCore.SignalR.Client;

namespace Chat.Server.Doors;

/// <summary>A door user's accepted hub connection and the nickname the hub gave it; disposing it disconnects the user.</summary>
public sealed class DoorConnection(HubConnection hub, string nickname, CloseReasonFeature closeReason) : IAsyncDisposable
{
    /// <summary>The in-process hub connection: calls by <c>nameof(IChatHub.X)</c>, events by <c>nameof(IChatClient.X)</c>.</summary>
    public HubConnection Hub { get; } = hub;

    /// <summary>The nickname as the hub holds it (chosen by the server when none was asked for); <c>/nick</c> changes it.</summary>
    public string Nickname { get; set; } = nickname;

    /// <summary>Why the server closed the connection (a flood, a stalled reader, an administrator), once it has; null otherwise.</summary>
    public string? CloseReason => closeReason.Reason;

    public ValueTask DisposeAsync() => Hub.DisposeAsync();
}
