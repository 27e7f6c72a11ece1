namespace Chat.Server.Doors;

/// <summary>
/// Set on a hub connection that a door opened for one of its users: which door (<c>ws</c>,
/// <c>ws-room</c>, <c>ws-lobby</c>, <c>chat</c>, <c>tcp</c>), the label of <c>chat.connections</c>.
/// </summary>
public sealed record DoorFeature(string Door);
