using System.Security.Claims;
using Chat.Server.Rooms;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.SignalR;
using Microsoft.Extensions.Options;

namespace Chat.Server.Accounts;

/// <summary>
/// Which nickname a hub connection may hold, given its sign-in: a signed-in user is their username on
/// every device and node (<c>?name=</c> is ignored); a guest may ask for any name no account holds, and
/// otherwise gets a generated one no account holds either. Registered names are looked up in the
/// database every time, so a name registered on one node is refused on every node at once. A guest who
/// held a name before it was registered keeps it until they disconnect: the registry still has them.
/// </summary>
public sealed class AccountNames(AccountDirectory accounts, IOptionsMonitor<AuthOptions> auth)
{
    public const string GuestsNotAllowedSentence = "This server asks everyone to sign in. Create an account or sign in.";

    public const string SignedInRenameSentence = "Signed-in users are known by their username; /nick is for guests.";

    private const int GeneratedNameAttempts = 10;

    public static string RegisteredSentence(string nickname) =>
        $"The nickname {nickname} belongs to a registered user. Sign in as {nickname}, or choose another nickname.";

    public static string HeldByGuestSentence(string username) =>
        $"The nickname {username} is still held by a guest who took it before it was registered. Try again once they have left.";

    /// <summary>
    /// Decides the nickname a new connection asks the registry for, or refuses the connection with a
    /// sentence (<see cref="Admission.Refusal"/>). Call <see cref="GenerateGuestNameAsync"/> again when the
    /// registry finds a generated name in use.
    /// </summary>
    public async Task<Admission> AdmitAsync(IFeatureCollection features, string? requested, CancellationToken cancellationToken = default)
    {
        var signIn = features.Get<ConnectionSignIn>() ?? ConnectionSignIn.Guest;
        if (signIn.Refusal is { } refusal)
        {
            return Admission.Refused("token", refusal);
        }

        if (signIn.Username is { } username)
        {
            return new Admission(username, SignedIn: true, Generated: false, null, null);
        }

        if (!auth.CurrentValue.AllowGuests)
        {
            return Admission.Refused("guest", GuestsNotAllowedSentence);
        }

        if (string.IsNullOrWhiteSpace(requested))
        {
            return new Admission(await GenerateGuestNameAsync(cancellationToken), SignedIn: false, Generated: true, null, null);
        }

        if (!Nickname.TryNormalize(requested, out var nickname))
        {
            return Admission.Refused("invalid", Nickname.Rule);
        }

        return await accounts.IsRegisteredAsync(nickname, cancellationToken)
            ? Admission.Refused("registered", RegisteredSentence(nickname))
            : new Admission(nickname, SignedIn: false, Generated: false, null, null);
    }

    /// <summary>A generated guest name (<see cref="NicknameGenerator"/>) that no account holds.</summary>
    public async Task<string> GenerateGuestNameAsync(CancellationToken cancellationToken = default)
    {
        for (var attempt = 1; ; attempt++)
        {
            var candidate = NicknameGenerator.Next();
            if (attempt == GeneratedNameAttempts || !await accounts.IsRegisteredAsync(candidate, cancellationToken))
            {
                return candidate;
            }
        }
    }

    /// <summary>Refuses <c>/nick</c> for a signed-in user, and for a guest asking for a registered name.</summary>
    public async Task CheckRenameAsync(ClaimsPrincipal? user, string nickname, CancellationToken cancellationToken = default)
    {
        if (ChatUser.AccountOf(user) is not null)
        {
            throw new HubException(SignedInRenameSentence);
        }

        if (await accounts.IsRegisteredAsync(nickname, cancellationToken))
        {
            throw new HubException(RegisteredSentence(nickname));
        }
    }

    /// <summary>Whether the connection's user is a server administrator (<see cref="AuthOptions.Admins"/>).</summary>
    public bool IsAdministrator(ClaimsPrincipal? user) => auth.CurrentValue.IsAdministrator(ChatUser.AccountOf(user));
}
