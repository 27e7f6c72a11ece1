namespace Chat.Client.Console;

/// <summary>What the command line asked for.</summary>
/// <param name="Nickname">The nickname to ask for; null lets the server assign one.</param>
/// <param name="Rooms">Rooms to join at start, in order; the last is the active room.</param>
internal sealed record ConsoleOptions(string? Nickname, Uri Server, IReadOnlyList<string> Rooms)
{
    public const string DefaultServer = "http://localhost:5000";

    public const string ServerVariable = "CHAT_SERVER";

    /// <summary>
    /// Keeps this process one user across reconnects: the server knows the returning connection by it and
    /// gives it back its nickname. It lives as long as the process.
    /// </summary>
    public string UserKey { get; init; } = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
}
