namespace Chat.Protocol;

/// <summary>The body of every refusal of the HTTP API (400, 401, 409, 429): one sentence for a person.</summary>
public sealed record ApiError(string Error);
