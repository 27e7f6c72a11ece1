namespace Chat.Server.Rooms;

/// <param name="UserLeft">True when this was the user's last connection in the room: others are told.</param>
public sealed record LeaveResult(bool WasMember, string Nickname, bool UserLeft, bool RoomRemoved);
