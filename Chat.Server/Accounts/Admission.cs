namespace Chat.Server.Accounts;

/// <summary>
/// What <see cref="AccountNames.AdmitAsync"/> decided for a new connection: the nickname to ask the
/// registry for, or a refusal (a short reason for logs and metrics, and the sentence for the person).
/// </summary>
public sealed record Admission(string? Nickname, bool SignedIn, bool Generated, string? Reason, string? Refusal)
{
    public static Admission Refused(string reason, string sentence) => new(null, false, false, reason, sentence);
}
