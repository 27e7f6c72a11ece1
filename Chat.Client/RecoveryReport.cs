namespace Chat.Client;

/// <summary>What a reconnect restored: the rooms rejoined and how many messages arrived while away.</summary>
public sealed record RecoveryReport(IReadOnlyList<string> Rooms, int MissedMessages);
