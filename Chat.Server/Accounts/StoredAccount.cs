namespace Chat.Server.Accounts;

/// <summary>An account as stored: the username as it was registered (a normalized nickname), its name key, the password hash.</summary>
public sealed record StoredAccount(string Username, string NameKey, string PasswordHash, DateTimeOffset CreatedAt);
