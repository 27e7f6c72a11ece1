using System.Net;
using System.Net.Http.Json;
using System.Net.Sockets;
using Chat.Protocol;

namespace Chat.Tests.Accounts;

/// <summary>Sign-up and sign-in over HTTP, as the page does, optionally from another loopback address (Linux answers all of 127/8).</summary>
public sealed class AccountsHttp : IDisposable
{
    private readonly HttpClient _http;

    public AccountsHttp(Uri server, IPAddress? from = null)
    {
        var handler = new SocketsHttpHandler();
        if (from is not null)
        {
            handler.ConnectCallback = async (context, cancellationToken) =>
            {
                var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
                try
                {
                    socket.Bind(new IPEndPoint(from, 0));
                    await socket.ConnectAsync(context.DnsEndPoint, cancellationToken);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            };
        }

        _http = new HttpClient(handler) { BaseAddress = server, Timeout = TimeSpan.FromSeconds(30) };
    }

    public static string Password() => "pw-" + Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(12));

    public Task<HttpResponseMessage> SignUpAsync(string username, string password) =>
        _http.PostAsJsonAsync(ChatEndpoints.AccountsPath, new AccountRequest(username, password));

    public Task<HttpResponseMessage> SignInAsync(string username, string password) =>
        _http.PostAsJsonAsync(ChatEndpoints.SessionsPath, new AccountRequest(username, password));

    public Task<HttpResponseMessage> SendAsync(HttpRequestMessage request) => _http.SendAsync(request);

    /// <summary>Registers the account and signs in: its access token.</summary>
    public async Task<string> RegisterAsync(string username, string? password = null)
    {
        password ??= Password();
        using (var created = await SignUpAsync(username, password))
        {
            created.StatusCode.Should().Be(HttpStatusCode.Created, await created.Content.ReadAsStringAsync());
        }

        return await TokenAsync(username, password);
    }

    public async Task<string> TokenAsync(string username, string password)
    {
        using var session = await SignInAsync(username, password);
        session.StatusCode.Should().Be(HttpStatusCode.OK, await session.Content.ReadAsStringAsync());
        return (await session.Content.ReadFromJsonAsync<SessionCreated>())!.AccessToken;
    }

    public static async Task<string> ErrorOf(HttpResponseMessage response) =>
        (await response.Content.ReadFromJsonAsync<ApiError>())!.Error;

    public void Dispose() => _http.Dispose();
}
