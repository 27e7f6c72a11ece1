using Chat.Client;
using Chat.Protocol;
using Chat.Tests.Infrastructure;
using Chat.Tests.Scaleout;
using Microsoft.AspNetCore.SignalR.Client;

namespace Chat.Tests.Accounts;

/// <summary>
/// Accounts on two nodes sharing Redis and PostgreSQL, with no signing key configured: the nodes agree
/// on the key kept in the database, and on registered names the moment they are registered.
/// </summary>
public sealed class AccountClusterTests(ClusterFixture fixture) : IClassFixture<ClusterFixture>, IDisposable
{
    private readonly AccountsHttp _first = new(fixture.First);

    [Fact]
    public async Task A_name_registered_on_one_node_is_closed_to_guests_on_the_other_at_once()
    {
        var name = Names.User("alice");
        await _first.RegisterAsync(name);

        await using var impostor = TestClient.Create(fixture.Second, name.ToUpperInvariant());
        var connect = () => impostor.Client.ConnectAsync();
        (await connect.Should().ThrowAsync<ChatConnectionException>()).Which.Message.Should().Contain("belongs to a registered user");

        await using var guest = await TestClient.ConnectAsync(fixture.Second, Names.User("guest"));
        var rename = () => guest.Client.SetNicknameAsync(name);
        (await rename.Should().ThrowAsync<ChatException>()).Which.Message.Should().Contain("belongs to a registered user");
    }

    [Fact]
    public async Task A_token_from_one_node_signs_in_on_the_other_and_both_devices_share_the_name_and_the_direct_messages()
    {
        var name = Names.User("roamer");
        var token = await _first.RegisterAsync(name);
        await using var here = await TokenHub.ConnectAsync(fixture.First, token, TokenWay.Query);
        await using var there = await TokenHub.ConnectAsync(fixture.Second, token, TokenWay.Header);
        var onHere = Received(here);
        var onThere = Received(there);

        (await there.MeAsync()).Nickname.Should().Be(name);
        (await there.MeAsync()).SignedIn.Should().BeTrue();

        await using var friend = await TestClient.ConnectAsync(fixture.First, Names.User("friend"));
        await friend.Client.SendDirectAsync(name, "wherever you are");
        (await onHere.WaitAsync(RawHub.CallTimeout)).Text.Should().Be("wherever you are");
        (await onThere.WaitAsync(RawHub.CallTimeout)).Text.Should().Be("wherever you are");

        // The name is the account's on every node: no guest takes it while the account is online either.
        await using var impostor = TestClient.Create(fixture.Second, name);
        var connect = () => impostor.Client.ConnectAsync();
        await connect.Should().ThrowAsync<ChatConnectionException>();
    }

    public void Dispose() => _first.Dispose();

    private static Task<DirectMessage> Received(HubConnection hub)
    {
        var received = new TaskCompletionSource<DirectMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        hub.On<DirectMessage>(nameof(IChatClient.ReceiveDirect), message => received.TrySetResult(message));
        return received.Task;
    }
}
