namespace Chat.Protocol;

/// <summary>A room as <c>/list</c>, <c>/rooms</c> and <c>/who</c> show it, with its members and topic.</summary>
public sealed record RoomSummary(string Name, int UserCount, IReadOnlyList<string> Users, string? Topic = null);
