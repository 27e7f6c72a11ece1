using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Chat.Protocol;

namespace Chat.Client.Internal;

/// <summary>
/// The server's HTTP API for accounts: sign-up (<see cref="ChatEndpoints.AccountsPath"/>) and sign-in
/// (<see cref="ChatEndpoints.SessionsPath"/>). A refusal's <see cref="ApiError"/> sentence becomes the
/// exception's message as it is, so the user reads what the server said.
/// </summary>
internal static class AccountsApi
{
    /// <summary>The server's JSON is ASP.NET Core's web default: camelCase names.</summary>
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static HttpClient NewHttpClient() => new() { Timeout = TimeSpan.FromSeconds(30) };

    /// <summary>Signs in; throws <see cref="ChatConnectionException"/> (unreachable, refused, throttled) with a sentence.</summary>
    public static async Task<SessionCreated> SignInAsync(HttpClient http, Uri server, ChatCredentials credentials, CancellationToken cancellationToken)
    {
        using var response = await PostAsync(http, server, ChatEndpoints.SessionsPath, credentials, cancellationToken);
        if (response.IsSuccessStatusCode)
        {
            return await response.Content.ReadFromJsonAsync<SessionCreated>(Json, cancellationToken)
                ?? throw new ChatConnectionException($"The chat server at {server} answered signing in without a token.", ConnectFailure.Refused);
        }

        var sentence = await SentenceOfAsync(response, server, "signing in", cancellationToken);
        throw new ChatConnectionException(sentence, response.StatusCode switch
        {
            HttpStatusCode.TooManyRequests => ConnectFailure.Throttled,
            HttpStatusCode.Unauthorized or HttpStatusCode.BadRequest or HttpStatusCode.Forbidden => ConnectFailure.SignInRefused,

            // A server that is starting, stopping or overloaded may answer the next attempt.
            >= HttpStatusCode.InternalServerError => ConnectFailure.Unreachable,
            _ => ConnectFailure.Refused,
        });
    }

    /// <summary>Creates an account; throws <see cref="ChatException"/> with the server's sentence when refused (taken, invalid, throttled).</summary>
    public static async Task<AccountCreated> CreateAccountAsync(HttpClient http, Uri server, ChatCredentials credentials, CancellationToken cancellationToken)
    {
        using var response = await PostAsync(http, server, ChatEndpoints.AccountsPath, credentials, cancellationToken);
        if (response.IsSuccessStatusCode)
        {
            return await response.Content.ReadFromJsonAsync<AccountCreated>(Json, cancellationToken)
                ?? new AccountCreated(credentials.Username);
        }

        throw new ChatException(await SentenceOfAsync(response, server, "creating the account", cancellationToken));
    }

    private static async Task<HttpResponseMessage> PostAsync(HttpClient http, Uri server, string path, ChatCredentials credentials, CancellationToken cancellationToken)
    {
        try
        {
            return await http.PostAsJsonAsync(new Uri(server, path), new AccountRequest(credentials.Username, credentials.Password), Json, cancellationToken);
        }
        catch (Exception ex) when (ex is HttpRequestException || (ex is TaskCanceledException && !cancellationToken.IsCancellationRequested))
        {
            throw new ChatConnectionException($"Cannot reach chat server at {server}: {ReconnectingConnection.ReasonOf(ex)}", ConnectFailure.Unreachable, ex);
        }
    }

    private static async Task<string> SentenceOfAsync(HttpResponseMessage response, Uri server, string what, CancellationToken cancellationToken)
    {
        try
        {
            if (await response.Content.ReadFromJsonAsync<ApiError>(Json, cancellationToken) is { Error.Length: > 0 } error)
            {
                return error.Error;
            }
        }
        catch (Exception ex) when (ex is JsonException or NotSupportedException)
        {
            // Not the API's own refusal (a proxy's page, an older server): say what happened instead.
        }

        return $"The chat server at {server} answered {(int)response.StatusCode} {response.ReasonPhrase} to {what}.";
    }
}
