namespace Chat.Protocol;

/// <summary>A room as the lobby lists it: its name, topic and how many people are in it (no member names: every page watches the lobby).</summary>
public sealed record LobbyRoom(string Name, int UserCount, string? Topic = null);
