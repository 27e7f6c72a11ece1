using Chat.Client;
using Chat.Protocol;
using Microsoft.AspNetCore.SignalR.Client;
using Chat.Tests.Infrastructure;

namespace Chat.Tests.Hubs;

public abstract class RoomMessagingTests(ChatServerFixture fixture)
{
    [Fact]
    public async Task Members_of_a_room_see_each_others_messages_and_a_member_of_another_room_sees_none()
    {
        var room = Names.Room();
        var other = Names.Room();
        await using var alice = await TestClient.ConnectAsync(fixture.Address, Names.User("alice"));
        await using var bob = await TestClient.ConnectAsync(fixture.Address, Names.User("bob"));
        await using var carol = await TestClient.ConnectAsync(fixture.Address, Names.User("carol"));
        await alice.Client.JoinAsync(room);
        await bob.Client.JoinAsync(room);
        await carol.Client.JoinAsync(other);

        var sent = await alice.Client.SendAsync(room, "Hello everyone!");
        await carol.Client.SendAsync(other, "only for the other room");

        var received = await bob.Messages.WaitForAsync(m => m.Id == sent.Id);
        received.Should().Be(sent);
        received.Sender.Should().Be(alice.Nickname);
        received.Room.Should().Be(room);
        received.Seq.Should().Be(1);
        (await alice.Messages.WaitForAsync(m => m.Id == sent.Id)).Should().Be(sent, "the sender is a member too");

        // Carol's own message is her barrier: anything for her from the first room would have come before it.
        await carol.Messages.WaitForAsync(m => m.Room == other);
        carol.Messages.Items.Should().OnlyContain(m => m.Room == other);
        bob.Messages.Items.Should().OnlyContain(m => m.Room == room);
    }

    [Fact]
    public async Task One_user_in_several_rooms_gets_each_rooms_messages_marked_with_the_room()
    {
        var (first, second) = (Names.Room(), Names.Room());
        await using var alice = await TestClient.ConnectAsync(fixture.Address, Names.User("alice"));
        await using var bob = await TestClient.ConnectAsync(fixture.Address, Names.User("bob"));
        await using var carol = await TestClient.ConnectAsync(fixture.Address, Names.User("carol"));
        await alice.Client.JoinAsync(first);
        await alice.Client.JoinAsync(second);
        await bob.Client.JoinAsync(first);
        await carol.Client.JoinAsync(second);

        await bob.Client.SendAsync(first, "in the first room");
        await carol.Client.SendAsync(second, "in the second room");

        var messages = await alice.Messages.WaitForCountAsync(2);
        messages.Should().ContainSingle(m => m.Room == first && m.Text == "in the first room" && m.Sender == bob.Nickname);
        messages.Should().ContainSingle(m => m.Room == second && m.Text == "in the second room" && m.Sender == carol.Nickname);
        alice.Client.Rooms.Should().BeEquivalentTo(first, second);
    }

    [Fact]
    public async Task Seq_numbers_a_rooms_messages_without_gaps_in_the_order_members_receive_them()
    {
        var room = Names.Room();
        await using var listener = await TestClient.ConnectAsync(fixture.Address, Names.User("listener"));
        await listener.Client.JoinAsync(room);
        var senders = new List<TestClient>();
        for (var i = 0; i < 3; i++)
        {
            var sender = await TestClient.ConnectAsync(fixture.Address, Names.User("sender"));
            await sender.Client.JoinAsync(room);
            senders.Add(sender);
        }

        try
        {
            await Task.WhenAll(senders.Select(async (sender, index) =>
            {
                for (var i = 0; i < 30; i++)
                {
                    await sender.Client.SendAsync(room, $"sender {index} message {i}");
                }
            }));

            var received = await listener.Messages.WaitForCountAsync(90);
            received.Select(m => m.Seq).Should().Equal(Enumerable.Range(1, 90).Select(i => (long)i));
            foreach (var sender in senders)
            {
                var own = received.Where(m => m.Sender == sender.Nickname).Select(m => int.Parse(m.Text.Split(' ')[^1])).ToList();
                own.Should().BeInAscendingOrder("each sender's messages keep their order").And.HaveCount(30);
            }
        }
        finally
        {
            foreach (var sender in senders)
            {
                await sender.DisposeAsync();
            }
        }
    }

    [Fact]
    public async Task Join_returns_the_members_and_the_last_50_messages_oldest_first()
    {
        var room = Names.Room();
        await using var alice = await TestClient.ConnectAsync(fixture.Address, Names.User("alice"));
        await alice.Client.JoinAsync(room);
        for (var i = 1; i <= 60; i++)
        {
            await alice.Client.SendAsync(room, $"message {i}");
        }

        await using var bob = await TestClient.ConnectAsync(fixture.Address, Names.User("bob"));
        var snapshot = await bob.Client.JoinAsync(room);

        snapshot.Room.Should().Be(room);
        snapshot.Members.Should().BeEquivalentTo(alice.Nickname, bob.Nickname);
        snapshot.LastSeq.Should().Be(60);
        snapshot.Messages.Select(m => m.Seq).Should().Equal(Enumerable.Range(11, 50).Select(i => (long)i));
        snapshot.Messages[^1].Text.Should().Be("message 60");
    }

    [Fact]
    public async Task A_retried_send_with_the_same_client_message_id_is_stored_and_delivered_once()
    {
        var room = Names.Room();
        var key = Convert.ToHexStringLower(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16));
        await using var listener = await TestClient.ConnectAsync(fixture.Address, Names.User("listener"));
        await listener.Client.JoinAsync(room);
        await using var raw = await RawHub.ConnectAsync(fixture.Address, Names.User("retrier"), key);
        await raw.CallAsync<Chat.Protocol.RoomSnapshot>(nameof(IChatHub.Join), room);

        var first = await raw.CallAsync<Chat.Protocol.ChatMessage>(nameof(IChatHub.SendMessage), room, "only once", "retry-id-1");
        var retry = await raw.CallAsync<Chat.Protocol.ChatMessage>(nameof(IChatHub.SendMessage), room, "only once", "retry-id-1");
        await using var sameUserLater = await RawHub.ConnectAsync(fixture.Address, null, key);
        await sameUserLater.CallAsync<Chat.Protocol.RoomSnapshot>(nameof(IChatHub.Join), room);
        var retryFromNewConnection = await sameUserLater.CallAsync<Chat.Protocol.ChatMessage>(nameof(IChatHub.SendMessage), room, "only once", "retry-id-1");
        var next = await raw.CallAsync<Chat.Protocol.ChatMessage>(nameof(IChatHub.SendMessage), room, "a new one", "retry-id-2");

        retry.Should().Be(first);
        retryFromNewConnection.Should().Be(first, "a reconnecting client resends from a new connection");
        next.Seq.Should().Be(first.Seq + 1);
        var received = await listener.Messages.WaitForAsync(m => m.Id == next.Id);
        listener.Messages.Items.Select(m => m.Text).Should().Equal("only once", "a new one");
        (await listener.Client.GetHistoryAsync(room, 0, 10)).Select(m => m.Text).Should().Equal("only once", "a new one");
        received.Should().Be(next);
    }

    [Fact]
    public async Task Every_copy_of_a_message_carries_the_client_message_id_its_sender_chose()
    {
        var room = Names.Room();
        await using var bob = await TestClient.ConnectAsync(fixture.Address, Names.User("bob"));
        await bob.Client.JoinAsync(room);
        await using var alice = await RawHub.ConnectAsync(fixture.Address, Names.User("alice"));
        var ownCopy = new TaskCompletionSource<ChatMessage>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var subscription = alice.On<ChatMessage>(nameof(IChatClient.ReceiveMessage), message => ownCopy.TrySetResult(message));
        await alice.CallAsync<RoomSnapshot>(nameof(IChatHub.Join), room);

        var answer = await alice.CallAsync<ChatMessage>(nameof(IChatHub.SendMessage), room, "the same words as before", "alice-picked-this");

        answer.ClientMessageId.Should().Be("alice-picked-this");
        (await ownCopy.Task.WaitAsync(TimeSpan.FromSeconds(10))).Should().Be(answer, "the sender finds its own send by the id, even among messages with the same text");
        // Others get the same object: the id is a random token of the sender's, which lets nobody else
        // send in its name (a retry is matched by user and id together).
        (await bob.Messages.WaitForAsync(m => m.Id == answer.Id)).Should().Be(answer);
        (await bob.Client.GetHistoryAsync(room, 0, 10)).Should().ContainSingle().Which.Should().Be(answer);
        (await bob.Client.GetMissedAsync(room, 0)).Should().ContainSingle().Which.Should().Be(answer);
        await using var carol = await TestClient.ConnectAsync(fixture.Address, Names.User("carol"));
        (await carol.Client.JoinAsync(room)).Messages.Should().ContainSingle().Which.Should().Be(answer);
    }

    [Fact]
    public async Task History_pages_backwards_by_seq_and_missed_since_pages_forwards()
    {
        var room = Names.Room();
        await using var alice = await TestClient.ConnectAsync(fixture.Address, Names.User("alice"));
        await alice.Client.JoinAsync(room);
        for (var i = 1; i <= 300; i++)
        {
            await alice.Client.SendAsync(room, $"message {i}");
        }

        var latest = await alice.Client.GetHistoryAsync(room, 0, 20);
        latest.Select(m => m.Seq).Should().Equal(Enumerable.Range(281, 20).Select(i => (long)i));
        var older = await alice.Client.GetHistoryAsync(room, 71, 20);
        older.Select(m => m.Seq).Should().Equal(Enumerable.Range(51, 20).Select(i => (long)i));
        older[0].Text.Should().Be("message 51");
        (await alice.Client.GetHistoryAsync(room, 3, 200)).Select(m => m.Seq).Should().Equal(1L, 2L);

        var missed = await alice.Client.GetMissedAsync(room, 0);
        missed.Select(m => m.Seq).Should().Equal(Enumerable.Range(1, 200).Select(i => (long)i), "one call returns at most 200");
        var rest = await alice.Client.GetMissedAsync(room, 200);
        rest.Select(m => m.Seq).Should().Equal(Enumerable.Range(201, 100).Select(i => (long)i));
        (await alice.Client.GetMissedAsync(room, 300)).Should().BeEmpty();
    }

    [Fact]
    public async Task Direct_messages_reach_only_their_target_and_their_sender()
    {
        await using var alice = await TestClient.ConnectAsync(fixture.Address, Names.User("alice"));
        await using var bob = await TestClient.ConnectAsync(fixture.Address, Names.User("bob"));
        await using var carol = await TestClient.ConnectAsync(fixture.Address, Names.User("carol"));

        var sent = await alice.Client.SendDirectAsync(bob.Nickname.ToUpperInvariant(), "psst, Bob");
        await carol.Client.SendDirectAsync(carol.Nickname, "note to self");

        sent.From.Should().Be(alice.Nickname);
        sent.To.Should().Be(bob.Nickname, "the target's own spelling is used");
        (await bob.Directs.WaitForAsync(m => m.Id == sent.Id)).Should().Be(sent);
        (await alice.Directs.WaitForAsync(m => m.Id == sent.Id)).Should().Be(sent, "the sender's connections see what it sent");
        await carol.Directs.WaitForAsync(m => m.Text == "note to self");
        carol.Directs.Items.Should().NotContain(m => m.Id == sent.Id);

        var unknown = () => alice.Client.SendDirectAsync("nobody-by-this-name", "hello?");
        (await unknown.Should().ThrowAsync<ChatException>()).Which.Message.Should().Be("Nobody called nobody-by-this-name is connected.");
    }

    [Fact]
    public async Task A_burst_of_typing_reaches_the_others_in_the_room_as_one_notice()
    {
        var room = Names.Room();
        await using var alice = await TestClient.ConnectAsync(fixture.Address, Names.User("alice"));
        await using var bob = await TestClient.ConnectAsync(fixture.Address, Names.User("bob"));
        await alice.Client.JoinAsync(room);
        await bob.Client.JoinAsync(room);

        for (var i = 0; i < 5; i++)
        {
            await alice.Client.TypingAsync(room);
        }

        // A message sent after the typing calls arrives after any typing notice they caused.
        var barrier = await alice.Client.SendAsync(room, "done typing");
        await bob.Messages.WaitForAsync(m => m.Id == barrier.Id);
        bob.Typing.Items.Should().ContainSingle().Which.Should().Be(new Chat.Protocol.RoomPresence(room, alice.Nickname));
        alice.Typing.Items.Should().BeEmpty("nobody is told about their own typing");
    }

    [Fact]
    public async Task Help_lists_every_command_with_a_description()
    {
        await using var alice = await TestClient.ConnectAsync(fixture.Address, Names.User("alice"));

        var help = await alice.Client.HelpAsync();

        help.Select(c => c.Command).Should().Contain(["/join", "/leave", "/list", "/rooms", "/who", "/nick", "/msg", "/history", "/help", "/quit"]);
        help.Should().OnlyContain(c => c.Description.Length > 10 && c.Usage.StartsWith(c.Command));
    }

    /// <summary>On the server's own WebSocket framing (the default).</summary>
    public sealed class OnDirectPath(UnthrottledServerFixture fixture) : RoomMessagingTests(fixture), IClassFixture<UnthrottledServerFixture>;

    /// <summary>Through ASP.NET Core's HTTP stack.</summary>
    public sealed class OnHttpPath(UnthrottledHttpServerFixture fixture) : RoomMessagingTests(fixture), IClassFixture<UnthrottledHttpServerFixture>;
}
