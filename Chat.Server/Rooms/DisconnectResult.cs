namespace Chat.Server.Rooms;

/// <param name="RoomsLeft">Rooms the user is no longer in (this was its last connection there).</param>
/// <param name="RoomsRemoved">Rooms that became empty and are gone.</param>
public sealed record DisconnectResult(string? Nickname, IReadOnlyList<string> RoomsLeft, IReadOnlyList<string> RoomsRemoved);
