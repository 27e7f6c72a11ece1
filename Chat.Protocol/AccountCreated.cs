namespace Chat.Protocol;

/// <summary>The 201 answer of <c>POST /api/accounts</c>: the username as stored (normalized).</summary>
public sealed record AccountCreated(string Username);
