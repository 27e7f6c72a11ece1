using Chat.Client.Internal;
using Chat.Protocol;

namespace Chat.Client;

/// <summary>The server's account API for applications that let people sign up; signing in is <see cref="ChatClientOptions.Credentials"/>.</summary>
public static class ChatAccounts
{
    /// <summary>
    /// Creates an account (<c>POST /api/accounts</c>). Throws <see cref="ChatException"/> with the server's
    /// sentence when the name is taken or invalid, the password too short, or sign-ups are throttled, and
    /// <see cref="ChatConnectionException"/> when the server cannot be reached.
    /// </summary>
    public static async Task<AccountCreated> CreateAsync(Uri server, ChatCredentials credentials, CancellationToken cancellationToken = default)
    {
        using var http = AccountsApi.NewHttpClient();
        return await AccountsApi.CreateAccountAsync(http, server, credentials, cancellationToken);
    }
}
