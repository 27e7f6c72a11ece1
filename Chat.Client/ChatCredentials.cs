using System.Text;

namespace Chat.Client;

/// <summary>
/// A username and password for signing in (<c>POST /api/sessions</c>). The password stays in memory for
/// as long as the client may need to sign in again (a token that expires during a reconnect); it is never
/// written anywhere, and <see cref="ToString"/> leaves it out.
/// </summary>
public sealed record ChatCredentials(string Username, string Password)
{
    // Records print every property; a password must not reach a log line through an innocent {Options}.
    private bool PrintMembers(StringBuilder builder)
    {
        builder.Append("Username = ").Append(Username);
        return true;
    }
}
