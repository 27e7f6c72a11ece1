namespace Chat.Protocol;

/// <summary>The body of <c>POST /api/accounts</c> (sign up) and <c>POST /api/sessions</c> (sign in).</summary>
public sealed record AccountRequest(string Username, string Password);
