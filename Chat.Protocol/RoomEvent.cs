namespace Chat.Protocol;

/// <summary>
/// An operator changed the room: sent to every member of the room, and to the connections of the target of
/// a <c>kick</c> or <c>ban</c>, whom the server takes out of the room right after sending it (on every node).
/// </summary>
/// <param name="Action">One of <see cref="RoomActions"/>: <c>topic</c>, <c>mode</c>, <c>op</c>, <c>deop</c>, <c>voice</c>, <c>devoice</c>, <c>kick</c>, <c>ban</c>, <c>unban</c>.</param>
/// <param name="By">The nickname of whoever did it.</param>
/// <param name="Target">The nickname it was done to (op, deop, voice, devoice, kick, ban, unban); null otherwise.</param>
/// <param name="Detail">The new topic, the mode change (<c>+i</c>, <c>-k</c>, ...), or the kick's reason; null when there is none.</param>
/// <param name="Info">The room's settings after the change.</param>
public sealed record RoomEvent(string Room, string Action, string By, string? Target, string? Detail, RoomInfo Info)
{
    /// <summary>
    /// Whether this is a kick or ban of the user called <paramref name="nickname"/> (as the server spells it):
    /// the server takes them out of the room, and their client must not rejoin it.
    /// </summary>
    public bool Removes(string? nickname) =>
        Action is RoomActions.Kick or RoomActions.Ban && Target is not null && string.Equals(Target, nickname, StringComparison.OrdinalIgnoreCase);
}
