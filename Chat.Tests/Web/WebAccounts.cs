using System.Net;
using Chat.Tests.Accounts;

namespace Chat.Tests.Web;

/// <summary>The page tests' accounts: one password the page types, made and tried over <see cref="AccountsHttp"/>.</summary>
public static class WebAccounts
{
    public const string Password = "correct horse battery";

    public static async Task CreateAsync(Uri server, string username, string password = Password)
    {
        using var http = new AccountsHttp(server);
        using var response = await http.SignUpAsync(username, password);
        response.StatusCode.Should().Be(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
    }

    /// <summary>The sentence of a refused sign-in, straight from the API: what the page must show.</summary>
    public static async Task<string> RefusedSignInSentenceAsync(Uri server, string username, string password)
    {
        using var http = new AccountsHttp(server);
        using var response = await http.SignInAsync(username, password);
        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        return await AccountsHttp.ErrorOf(response);
    }
}
