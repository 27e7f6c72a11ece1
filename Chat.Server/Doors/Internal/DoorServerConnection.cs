using System.IO.Pipelines;
using Chat.Server.Transport;
using Microsoft.AspNetCore.Connections;

namespace Chat.Server.Doors.Internal;

/// <summary>
/// The hub's end of a door user's connection: it keeps the reason it was aborted with (the guard's
/// "The client stopped reading.", an administrator's disconnect) in its <see cref="CloseReasonFeature"/>,
/// so the door can tell its user why the server closed it.
/// </summary>
internal sealed class DoorServerConnection : DefaultConnectionContext
{
    public DoorServerConnection(string id, IDuplexPipe transport, IDuplexPipe application, CloseReasonFeature closeReason)
        : base(id, transport, application)
    {
        CloseReason = closeReason;
        Features.Set(closeReason);
    }

    public CloseReasonFeature CloseReason { get; }

    public override void Abort(ConnectionAbortedException abortReason)
    {
        CloseReason.Set(abortReason.Message);
        base.Abort(abortReason);
    }
}
