using Chat.Protocol;
using Chat.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR.Client;

namespace Chat.Tests.Client;

/// <summary>
/// The client key travels as the connection's access token (a header), the nickname in the URL; both
/// of the server's WebSocket paths read them, and still read a key in the query, as browsers send it.
/// </summary>
public abstract class ClientIdentityTests(WebSocketPath path)
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task A_key_sent_as_a_bearer_token_and_the_same_key_in_the_query_are_one_user()
    {
        var key = NewKey();
        var name = Names.User("alice");
        await using var server = await ChatServerProcess.StartAsync(path: path);
        await using var client = await TestClient.ConnectAsync(server.Address, name, key);

        // Without a name of its own, the second connection is the first one's user only if the server
        // took the same key from the header and from the query.
        await using var tab = await RawHub.ConnectAsync(server.Address, key: key);
        var profile = await tab.CallAsync<UserProfile>(nameof(IChatHub.Me)).WaitAsync(Patience);

        profile.Nickname.Should().Be(name);
    }

    [Fact]
    public async Task The_key_appears_in_no_log_entry_of_the_client_at_any_level()
    {
        var key = NewKey();
        var logs = new LogRecorder();
        await using var server = await ChatServerProcess.StartAsync(path: path);
        await using var client = TestClient.Create(server.Address, Names.User("alice"), key, loggerFactory: logs.Factory);
        await client.Client.ConnectAsync().WaitAsync(Patience);
        var room = Names.Room();
        await client.Client.JoinAsync(room).WaitAsync(Patience);
        await client.Client.SendAsync(room, "hello").WaitAsync(Patience);

        logs.Entries.Items.Should().Contain(entry => entry.EventName == "TransportStarted", "the client's transport logs were recorded");
        logs.Entries.Items.Should().NotContain(entry => entry.Text.Contains(key, StringComparison.Ordinal));
    }

    [Fact]
    public async Task After_a_server_restart_clients_come_back_under_the_nicknames_they_had_not_the_ones_they_started_with()
    {
        await using var server = await ChatServerProcess.StartAsync(path: path);
        await using var renamed = await TestClient.ConnectAsync(server.Address, Names.User("before"));
        await using var unnamed = await TestClient.ConnectAsync(server.Address);
        var newName = Names.User("after");
        await renamed.Client.SetNicknameAsync(newName).WaitAsync(Patience);
        var assigned = unnamed.Nickname;

        await server.StopAsync();
        await renamed.Reconnects.WaitForCountAsync(1);
        await unnamed.Reconnects.WaitForCountAsync(1);
        await server.StartAsync();
        await renamed.Recoveries.WaitForCountAsync(1, TimeSpan.FromSeconds(30));
        await unnamed.Recoveries.WaitForCountAsync(1, TimeSpan.FromSeconds(30));

        (await renamed.Client.MeAsync().WaitAsync(Patience)).Nickname.Should().Be(newName);
        (await unnamed.Client.MeAsync().WaitAsync(Patience)).Nickname.Should().Be(assigned);
    }

    private static string NewKey() => Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));

    /// <summary>On the server's own WebSocket framing (the default).</summary>
    public sealed class OnDirectPath() : ClientIdentityTests(WebSocketPath.Direct);

    /// <summary>Through ASP.NET Core's HTTP stack.</summary>
    public sealed class OnHttpPath() : ClientIdentityTests(WebSocketPath.Http);
}
