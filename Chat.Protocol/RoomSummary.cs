namespace Chat.Protocol;

/// <summary>A room as <c>/list</c>, <c>/rooms</c>, <c>/who</c> and the lobby show it.</summary>
public sealed record RoomSummary(string Name, int UserCount, IReadOnlyList<string> Users);
