using System.Net;
using System.Net.Http.Json;
using Chat.Protocol;

namespace Chat.Tests.Web;

/// <summary>Accounts made over the HTTP API, as a test's setup, and the sentences the API answers with.</summary>
public static class WebAccounts
{
    public const string Password = "correct horse battery";

    public static async Task CreateAsync(Uri server, string username, string password = Password)
    {
        using var http = new HttpClient { BaseAddress = server, Timeout = TimeSpan.FromSeconds(10) };
        using var response = await http.PostAsJsonAsync(ChatEndpoints.AccountsPath, new AccountRequest(username, password));
        response.StatusCode.Should().Be(HttpStatusCode.Created, await response.Content.ReadAsStringAsync());
    }

    /// <summary>The sentence of a refused sign-in, straight from the API: what the page must show.</summary>
    public static async Task<string> RefusedSignInSentenceAsync(Uri server, string username, string password)
    {
        using var http = new HttpClient { BaseAddress = server, Timeout = TimeSpan.FromSeconds(10) };
        using var response = await http.PostAsJsonAsync(ChatEndpoints.SessionsPath, new AccountRequest(username, password));
        response.StatusCode.Should().Be(HttpStatusCode.Unauthorized);
        var error = await response.Content.ReadFromJsonAsync<ApiError>();
        return error!.Error;
    }
}
