using System.Text.RegularExpressions;
using Chat.Client;
using Chat.Protocol;
using Chat.Tests.Infrastructure;

namespace Chat.Tests.Rooms;

public abstract partial class NicknameTests(ChatServerFixture fixture)
{
    [Fact]
    public async Task A_user_without_a_name_is_given_user_six_letters_two_digits()
    {
        await using var anonymous = await TestClient.ConnectAsync(fixture.Address);

        anonymous.Nickname.Should().MatchRegex(AutoName().ToString());
    }

    [Fact]
    public async Task A_taken_nickname_is_refused_whatever_its_case_or_surrounding_spaces()
    {
        var name = Names.User("Alice");
        await using var alice = await TestClient.ConnectAsync(fixture.Address, name);

        foreach (var variant in new[] { name, name.ToUpperInvariant(), $"  {name.ToLowerInvariant()} " })
        {
            await using var impostor = TestClient.Create(fixture.Address, variant);
            var connect = () => impostor.Client.ConnectAsync();
            var refusal = (await connect.Should().ThrowAsync<ChatConnectionException>()).Which;
            refusal.Failure.Should().Be(ConnectFailure.Refused);
            refusal.Message.Should().Be($"The nickname {variant.Trim()} is already in use. Choose another one.");
        }

        (await alice.Client.MeAsync()).Nickname.Should().Be(name, "the refusals did not disturb the holder");
    }

    [Fact]
    public async Task A_nickname_is_free_again_once_its_user_disconnects()
    {
        var name = Names.User("reused");
        var room = Names.Room();
        await using var watcher = await TestClient.ConnectAsync(fixture.Address, Names.User("watcher"));
        await watcher.Client.JoinAsync(room);
        var first = await TestClient.ConnectAsync(fixture.Address, name);
        await first.Client.JoinAsync(room);
        await first.DisposeAsync();

        // A client's disconnect returns once its close is sent; the server frees the name when it sees
        // the connection end, and says so to the room.
        await watcher.Leaves.WaitForAsync(p => p.Nickname == name);
        await using var second = await TestClient.ConnectAsync(fixture.Address, name);
        second.Nickname.Should().Be(name);
    }

    [Fact]
    public async Task Renaming_tells_everyone_sharing_a_room_and_frees_the_old_name()
    {
        var room = Names.Room();
        var oldName = Names.User("old");
        var newName = Names.User("new");
        await using var alice = await TestClient.ConnectAsync(fixture.Address, oldName);
        await using var bob = await TestClient.ConnectAsync(fixture.Address, Names.User("bob"));
        await using var stranger = await TestClient.ConnectAsync(fixture.Address, Names.User("stranger"));
        await alice.Client.JoinAsync(room);
        await bob.Client.JoinAsync(room);

        (await alice.Client.SetNicknameAsync(newName)).Should().Be(newName);

        (await bob.Renames.WaitForAsync(_ => true)).Should().Be(new NicknameChange(oldName, newName));
        (await alice.Renames.WaitForAsync(_ => true)).Should().Be(new NicknameChange(oldName, newName));
        alice.Nickname.Should().Be(newName);
        (await bob.Client.WhoAsync(room)).Users.Should().BeEquivalentTo(newName, bob.Nickname);
        var sent = await alice.Client.SendAsync(room, "under my new name");
        sent.Sender.Should().Be(newName);
        stranger.Renames.Items.Should().BeEmpty("nobody outside the user's rooms is told");

        await using var reuser = await TestClient.ConnectAsync(fixture.Address, oldName);
        reuser.Nickname.Should().Be(oldName);
    }

    [Fact]
    public async Task Renaming_to_a_taken_or_invalid_name_is_refused_and_the_user_keeps_its_name()
    {
        await using var alice = await TestClient.ConnectAsync(fixture.Address, Names.User("alice"));
        await using var bob = await TestClient.ConnectAsync(fixture.Address, Names.User("bob"));

        var taken = () => alice.Client.SetNicknameAsync(bob.Nickname.ToUpperInvariant());
        (await taken.Should().ThrowAsync<ChatException>()).Which.Message.Should().Be($"The nickname {bob.Nickname.ToUpperInvariant()} is already in use. Choose another one.");

        var invalid = () => alice.Client.SetNicknameAsync("two words");
        (await invalid.Should().ThrowAsync<ChatException>()).Which.Message.Should().Be("Nicknames may use letters, digits, -, _ and . (1-32 characters, no spaces).");

        (await alice.Client.MeAsync()).Nickname.Should().Be(alice.Nickname);
    }

    [Fact]
    public async Task An_invalid_nickname_in_the_connection_url_is_refused_with_the_rule()
    {
        await using var client = TestClient.Create(fixture.Address, new string('x', 33));

        var connect = () => client.Client.ConnectAsync();

        (await connect.Should().ThrowAsync<ChatConnectionException>()).Which.Message
            .Should().Be("Nicknames may use letters, digits, -, _ and . (1-32 characters, no spaces).");
    }

    [GeneratedRegex("^user_[a-z]{6}[0-9]{2}$")]
    private static partial Regex AutoName();

    /// <summary>On the server's own WebSocket framing (the default).</summary>
    public sealed class OnDirectPath(ChatServerFixture fixture) : NicknameTests(fixture), IClassFixture<ChatServerFixture>;

    /// <summary>Through ASP.NET Core's HTTP stack.</summary>
    public sealed class OnHttpPath(HttpWebSocketServerFixture fixture) : NicknameTests(fixture), IClassFixture<HttpWebSocketServerFixture>;
}
