namespace Chat.Protocol;

/// <summary>A room was closed by an administrator: this connection is no longer in it.</summary>
public sealed record RoomClosure(string Room, string Text);
