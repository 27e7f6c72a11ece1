using Chat.Protocol;
using Chat.Tests.Accounts;
using Chat.Tests.Infrastructure;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace Chat.Tests.Moderation;

/// <summary>
/// One hub connection as a room's owner, operator or member uses it: signed in with an access token (as
/// the .NET client sends it, <c>Authorization: Bearer</c>) or a guest with a key, every room event
/// recorded, and every call with a deadline.
/// </summary>
public sealed class RoomUser : IAsyncDisposable
{
    public const string Password = "correct horse battery";

    private RoomUser(HubConnection hub, string nickname)
    {
        Hub = hub;
        Nickname = nickname;
        hub.On<RoomEvent>(nameof(IChatClient.RoomChanged), Changes.Add);
        hub.On<RoomInvitation>(nameof(IChatClient.Invited), Invitations.Add);
        hub.On<ChatMessage>(nameof(IChatClient.ReceiveMessage), Messages.Add);
        hub.On<RoomMembersChanged>(nameof(IChatClient.MembersChanged), Members.Add);
        hub.On<IReadOnlyList<LobbyRoom>>(nameof(IChatClient.RoomsUpdated), Lobby.Add);
    }

    public HubConnection Hub { get; }

    public string Nickname { get; }

    public EventRecorder<RoomEvent> Changes { get; } = new();

    public EventRecorder<RoomInvitation> Invitations { get; } = new();

    public EventRecorder<ChatMessage> Messages { get; } = new();

    public EventRecorder<RoomMembersChanged> Members { get; } = new();

    public EventRecorder<IReadOnlyList<LobbyRoom>> Lobby { get; } = new();

    /// <summary>Creates the account (<c>POST /api/accounts</c>) and signs in (<c>POST /api/sessions</c>); returns the access token.</summary>
    public static async Task<string> SignUpAsync(Uri server, string username)
    {
        using var http = new AccountsHttp(server);
        return await http.RegisterAsync(username, Password);
    }

    public static async Task<string> SignInAsync(Uri server, string username)
    {
        using var http = new AccountsHttp(server);
        return await http.TokenAsync(username, Password);
    }

    /// <summary>A new account, signed in.</summary>
    public static async Task<RoomUser> AccountAsync(Uri server, string username) =>
        await ConnectAsync(server, username, token: await SignUpAsync(server, username));

    /// <summary>Another connection (a second device) of an account.</summary>
    public static async Task<RoomUser> SignedInAsync(Uri server, string username) =>
        await ConnectAsync(server, username, token: await SignInAsync(server, username));

    public static Task<RoomUser> GuestAsync(Uri server, string nickname, string? key = null) =>
        ConnectAsync(server, nickname, token: null, key ?? Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16)));

    private static async Task<RoomUser> ConnectAsync(Uri server, string nickname, string? token, string? key = null)
    {
        var query = token is null ? $"?{ChatEndpoints.NameParameter}={nickname}&{ChatEndpoints.KeyParameter}={key}" : "";
        var hub = new HubConnectionBuilder()
            .WithUrl(new Uri(server, ChatEndpoints.HubPath + query), http =>
            {
                http.SkipNegotiation = true;
                http.Transports = HttpTransportType.WebSockets;
                if (token is not null)
                {
                    http.AccessTokenProvider = () => Task.FromResult<string?>(token);
                }
            })
            .Build();
        await hub.StartAsync().WaitAsync(TimeSpan.FromSeconds(10));
        return new RoomUser(hub, nickname);
    }

    public Task<RoomSnapshot> JoinAsync(string room, string? key = null) =>
        key is null ? Call<RoomSnapshot>(nameof(IChatHub.Join), room) : Call<RoomSnapshot>(nameof(IChatHub.JoinWithKey), room, key);

    public Task<ChatMessage> SendAsync(string room, string text) => Call<ChatMessage>(nameof(IChatHub.SendMessage), room, text, null);

    public Task<T> Call<T>(string method, params object?[] arguments) => Hub.CallAsync<T>(method, arguments);

    public Task Call(string method, params object?[] arguments) => Hub.InvokeCoreAsync(method, arguments).WaitAsync(RawHub.CallTimeout);

    /// <summary>The sentence a refused call comes back with.</summary>
    public async Task<string> RefusalOf(Func<RoomUser, Task> call)
    {
        var refusal = await FluentActions.Awaiting(() => call(this)).Should().ThrowAsync<HubException>();
        return Sentence(refusal.Which);
    }

    /// <summary>The server's sentence, without the SignalR client's preamble.</summary>
    public static string Sentence(HubException exception)
    {
        const string Marker = "HubException: ";
        var at = exception.Message.IndexOf(Marker, StringComparison.Ordinal);
        return at < 0 ? exception.Message : exception.Message[(at + Marker.Length)..];
    }

    public async ValueTask DisposeAsync() => await Hub.DisposeAsync();
}
