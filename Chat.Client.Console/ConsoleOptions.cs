using System.Text;

namespace Chat.Client.Console;

/// <summary>What the command line asked for.</summary>
/// <param name="Nickname">The nickname to ask for; null lets the server assign one. Signed in, the username.</param>
/// <param name="Rooms">Rooms to join at start, in order; the last is the active room.</param>
internal sealed record ConsoleOptions(string? Nickname, Uri Server, IReadOnlyList<string> Rooms)
{
    public const string DefaultServer = "http://localhost:5000";

    public const string ServerVariable = "CHAT_SERVER";

    /// <summary>The password of <see cref="Nickname"/>'s account, for scripts that cannot type at a prompt.</summary>
    public const string PasswordVariable = "CHAT_PASSWORD";

    /// <summary>
    /// Keeps this process one user across reconnects: the server knows the returning connection by it and
    /// gives it back its nickname. It lives as long as the process.
    /// </summary>
    public string UserKey { get; init; } = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));

    /// <summary>The account's password, from stdin or <see cref="PasswordVariable"/>; null to connect as a guest (or be asked).</summary>
    public string? Password { get; init; }

    /// <summary>Ask for the password at the terminal before connecting (<c>--sign-in</c>).</summary>
    public bool AskPassword { get; init; }

    // Records print every property; the password must never reach a screen or log through ToString.
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("Nickname = ").Append(Nickname).Append(", Server = ").Append(Server)
            .Append(", Rooms = [").AppendJoin(", ", Rooms).Append("], SignedIn = ").Append(Password is not null || AskPassword);
        return true;
    }
}
