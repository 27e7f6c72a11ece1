using Chat.Client;
using Chat.Protocol;
using Microsoft.AspNetCore.Http.Connections;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Extensions.Logging;

namespace Chat.Tests.Infrastructure;

/// <summary>A real <see cref="ChatClient"/> whose every event is recorded for the test to await, and whose every call has a deadline.</summary>
public sealed class TestClient : IAsyncDisposable
{
    private TestClient(ChatClient client)
    {
        Client = new TimedChatClient(client);
        client.MessageReceived += Messages.Add;
        client.DirectMessageReceived += Directs.Add;
        client.UserJoined += Joins.Add;
        client.UserLeft += Leaves.Add;
        client.UserTyping += Typing.Add;
        client.NicknameChanged += Renames.Add;
        client.RoomsUpdated += Lobby.Add;
        client.NoticeReceived += Notices.Add;
        client.RoomClosed += RoomClosures.Add;
        client.RoomChanged += RoomChanges.Add;
        client.Invited += Invitations.Add;
        client.Reconnecting += error => Reconnects.Add("reconnecting");
        client.Reconnected += Recoveries.Add;
    }

    /// <summary>The client's calls, each with a deadline (<see cref="TimedChatClient.CallTimeout"/>).</summary>
    public TimedChatClient Client { get; }

    public string Nickname => Client.Nickname!;

    public EventRecorder<ChatMessage> Messages { get; } = new();

    public EventRecorder<DirectMessage> Directs { get; } = new();

    public EventRecorder<RoomPresence> Joins { get; } = new();

    public EventRecorder<RoomPresence> Leaves { get; } = new();

    public EventRecorder<RoomPresence> Typing { get; } = new();

    public EventRecorder<NicknameChange> Renames { get; } = new();

    public EventRecorder<IReadOnlyList<LobbyRoom>> Lobby { get; } = new();

    public EventRecorder<ServerNotice> Notices { get; } = new();

    public EventRecorder<RoomClosure> RoomClosures { get; } = new();

    public EventRecorder<RoomEvent> RoomChanges { get; } = new();

    public EventRecorder<RoomInvitation> Invitations { get; } = new();

    public EventRecorder<string> Reconnects { get; } = new();

    public EventRecorder<RecoveryReport> Recoveries { get; } = new();

    /// <summary>A client with quick reconnects (tests restart servers), not yet connected.</summary>
    /// <param name="negotiate">The transports to negotiate among; null connects straight to the WebSocket, as by default.</param>
    public static TestClient Create(
        Uri server,
        string? nickname = null,
        string? userKey = null,
        IRetryPolicy? reconnectPolicy = null,
        HttpTransportType? negotiate = null,
        ILoggerFactory? loggerFactory = null,
        ChatCredentials? credentials = null) =>
        new(new ChatClient(new ChatClientOptions
        {
            Server = server,
            Nickname = nickname,
            Credentials = credentials,
            UserKey = userKey ?? Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16)),
            Negotiate = negotiate is not null,
            Transports = negotiate ?? HttpTransports.All,
            ReconnectPolicy = reconnectPolicy ?? new BackoffRetryPolicy(TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(500)),
            KeepAliveInterval = TimeSpan.FromSeconds(1),
            LoggerFactory = loggerFactory,
        }));

    public static async Task<TestClient> ConnectAsync(Uri server, string? nickname = null, string? userKey = null)
    {
        var client = Create(server, nickname, userKey);
        await client.Client.ConnectAsync().WaitAsync(EventRecorder<ChatMessage>.DefaultTimeout);
        return client;
    }

    /// <summary>Creates the account (<c>POST /api/accounts</c>) and connects signed in to it.</summary>
    public static async Task<TestClient> SignUpAsync(Uri server, string username, string password = DefaultPassword)
    {
        await ChatAccounts.CreateAsync(server, new ChatCredentials(username, password)).WaitAsync(EventRecorder<ChatMessage>.DefaultTimeout);
        return await SignInAsync(server, username, password);
    }

    /// <summary>Connects signed in to an existing account.</summary>
    public static async Task<TestClient> SignInAsync(Uri server, string username, string password = DefaultPassword)
    {
        var client = Create(server, credentials: new ChatCredentials(username, password));
        try
        {
            await client.Client.ConnectAsync().WaitAsync(EventRecorder<ChatMessage>.DefaultTimeout);
        }
        catch
        {
            await client.DisposeAsync();
            throw;
        }

        return client;
    }

    /// <summary>A password the server accepts (at least 10 characters), for tests that sign up many users.</summary>
    public const string DefaultPassword = "correct horse battery";

    /// <summary>Every stored message of a room (the client must be a member), by paging <c>MissedSince</c>.</summary>
    public async Task<IReadOnlyList<ChatMessage>> ReadWholeHistoryAsync(string room)
    {
        var messages = new List<ChatMessage>();
        while (true)
        {
            var page = await Client.GetMissedAsync(room, messages.Count == 0 ? 0 : messages[^1].Seq);
            messages.AddRange(page);
            if (page.Count < ChatEndpoints.MaxPageSize)
            {
                return messages;
            }
        }
    }

    public async ValueTask DisposeAsync() => await Client.Inner.DisposeAsync();
}
