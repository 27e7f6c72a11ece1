using Chat.Protocol;

namespace Chat.Server.Doors.Internal;

/// <summary>
/// A door's dialect: how one thing the user should see is put on its wire (a JSON object on <c>/ws</c>,
/// a line on TCP). Called by one task at a time (<see cref="LineOutput"/>'s pump); each call returns
/// once the bytes are written, so a client that stops reading stops the hub's writes too.
/// </summary>
internal interface ILineWriter
{
    /// <summary>A room message; <paramref name="earlier"/> when it comes from history (a join's snapshot or <c>/history</c>).</summary>
    ValueTask MessageAsync(ChatMessage message, bool earlier, CancellationToken cancellationToken);

    /// <summary>A private message to or from this user.</summary>
    ValueTask DirectAsync(DirectMessage message, CancellationToken cancellationToken);

    /// <summary>A sentence from the server; <paramref name="kind"/> names a server notice (<c>restarting</c>, <c>disconnected</c>, <c>room-closed</c>).</summary>
    ValueTask SystemAsync(string text, string? kind, CancellationToken cancellationToken);

    /// <summary>An operator changed a room this user is in (or took this user out of it); <paramref name="text"/> says it in a sentence.</summary>
    ValueTask RoomChangedAsync(RoomEvent change, string text, CancellationToken cancellationToken);

    /// <summary>An operator invited this user into a room; <paramref name="text"/> says it in a sentence.</summary>
    ValueTask InvitedAsync(RoomInvitation invitation, string text, CancellationToken cancellationToken);

    /// <summary>A refusal: the command or message was not carried out; the connection stays.</summary>
    ValueTask ErrorAsync(string text, CancellationToken cancellationToken);
}
