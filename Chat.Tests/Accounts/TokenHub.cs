using Chat.Client;
using Chat.Protocol;
using Chat.Tests.Infrastructure;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;

namespace Chat.Tests.Accounts;

/// <summary>How a test's hub connection carries its access token and which way it takes.</summary>
public enum TokenWay
{
    /// <summary><c>Authorization: Bearer</c>, as the .NET client sends its access token.</summary>
    Header,

    /// <summary><c>?access_token=</c>, as browsers send it.</summary>
    Query,
}

/// <summary>A bare SignalR connection to the hub with an access token; a refusal is a <see cref="ChatException"/> with the server's sentence.</summary>
public static class TokenHub
{
    /// <param name="negotiate">The transport to negotiate (the HTTP path); null connects straight to the WebSocket (no negotiate).</param>
    public static async Task<HubConnection> ConnectAsync(
        Uri server, string? token, TokenWay way = TokenWay.Header, string? nickname = null, HttpTransportType? negotiate = null)
    {
        var query = new List<string>();
        if (nickname is not null)
        {
            query.Add($"{ChatEndpoints.NameParameter}={Uri.EscapeDataString(nickname)}");
        }

        if (token is not null && way == TokenWay.Query)
        {
            query.Add($"{ChatEndpoints.AccessTokenParameter}={Uri.EscapeDataString(token)}");
        }

        var url = new UriBuilder(new Uri(server, ChatEndpoints.HubPath)) { Query = string.Join('&', query) }.Uri;
        var connection = new HubConnectionBuilder()
            .WithUrl(url, http =>
            {
                http.SkipNegotiation = negotiate is null;
                http.Transports = negotiate ?? HttpTransportType.WebSockets;
                if (token is not null && way == TokenWay.Header)
                {
                    http.AccessTokenProvider = () => Task.FromResult<string?>(token);
                }
            })
            .Build();
        var closed = new TaskCompletionSource<Exception?>(TaskCreationOptions.RunContinuationsAsynchronously);
        connection.Closed += error =>
        {
            closed.TrySetResult(error);
            return Task.CompletedTask;
        };
        try
        {
            await connection.StartAsync().WaitAsync(RawHub.CallTimeout);

            // A refused connection is closed right after the handshake: the first call fails and the close says why.
            await connection.CallAsync<UserProfile>(nameof(IChatHub.Me));
            return connection;
        }
        catch (Exception ex) when (ex is not TimeoutException)
        {
            var reason = await closed.Task.WaitAsync(RawHub.CallTimeout);
            await connection.DisposeAsync();
            throw new ChatException(ChatException.SentenceOf(reason ?? ex), ex);
        }
    }

    public static Task<UserProfile> MeAsync(this HubConnection hub) => hub.CallAsync<UserProfile>(nameof(IChatHub.Me));
}
