namespace Chat.Protocol;

/// <summary>The 200 answer of <c>POST /api/sessions</c>: a bearer token for the hub and when it stops being accepted.</summary>
public sealed record SessionCreated(string AccessToken, DateTimeOffset ExpiresAt);
