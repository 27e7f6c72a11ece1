using System.Diagnostics;
using Chat.Client;
using Chat.Protocol;
using Chat.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR;
using Microsoft.AspNetCore.SignalR.Client;

namespace Chat.Tests.Hardening;

public abstract class LimitsTests(ChatServerFixture fixture)
{
    [Fact]
    public async Task A_hub_message_over_32_KB_closes_only_the_connection_that_sent_it()
    {
        var room = Names.Room();
        await using var alice = await TestClient.ConnectAsync(fixture.Address, Names.User("alice"));
        await using var bob = await TestClient.ConnectAsync(fixture.Address, Names.User("bob"));
        await alice.Client.JoinAsync(room);
        await bob.Client.JoinAsync(room);
        await using var raw = await RawSocket.ConnectWithHandshakeAsync(fixture.Address);

        await raw.SendTextAsync(RawSocket.Invocation(nameof(IChatHub.SendMessage), room, new string('x', 40 * 1024), "big"));

        (await raw.WaitForCloseAsync(TimeSpan.FromSeconds(10))).Should().BeTrue();
        var after = await alice.Client.SendAsync(room, "we carry on");
        await bob.Messages.WaitForAsync(m => m.Id == after.Id);
    }

    [Fact]
    public async Task A_flood_of_sends_is_throttled_then_disconnected_while_others_keep_chatting_promptly()
    {
        var room = Names.Room();
        await using var alice = await TestClient.ConnectAsync(fixture.Address, Names.User("alice"));
        await using var bob = await TestClient.ConnectAsync(fixture.Address, Names.User("bob"));
        await alice.Client.JoinAsync(room);
        await bob.Client.JoinAsync(room);
        await using var flooder = await RawHub.ConnectAsync(fixture.Address, Names.User("flooder"));
        await flooder.CallAsync<Chat.Protocol.RoomSnapshot>(nameof(IChatHub.Join), room);
        var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        flooder.Closed += _ =>
        {
            closed.TrySetResult();
            return Task.CompletedTask;
        };

        var flood = Task.Run(async () =>
        {
            var outcomes = new List<Task<Chat.Protocol.ChatMessage>>();
            var clock = Stopwatch.StartNew();
            for (var i = 0; i < 1000 && flooder.State == HubConnectionState.Connected; i++)
            {
                outcomes.Add(flooder.CallAsync<Chat.Protocol.ChatMessage>(nameof(IChatHub.SendMessage), room, $"spam {i}", $"spam-{i}"));
                if (i % 100 == 99)
                {
                    await Task.Delay(TimeSpan.FromMilliseconds(Math.Max(0, ((i + 1) / 1000.0 * 1000) - clock.ElapsedMilliseconds)));
                }
            }

            return outcomes;
        });

        var latencies = new List<TimeSpan>();
        for (var i = 0; i < 10; i++)
        {
            var clock = Stopwatch.StartNew();
            var sent = await alice.Client.SendAsync(room, $"normal conversation {i}");
            await bob.Messages.WaitForAsync(m => m.Id == sent.Id);
            latencies.Add(clock.Elapsed);
        }

        var attempts = await flood;
        await closed.Task.WaitAsync(TimeSpan.FromSeconds(15));
        var results = await Task.WhenAll(attempts.Select(async attempt =>
        {
            try
            {
                await attempt;
                return "stored";
            }
            catch (HubException ex) when (ex.Message.Contains(Chat.Server.Hubs.RateLimitFilter.SlowDown, StringComparison.Ordinal))
            {
                return "slow down";
            }
            catch (Exception)
            {
                return "cut off";
            }
        }));

        results.Count(r => r == "stored").Should().BeInRange(1, 60, "a burst of 20 and 10 a second get through");
        results.Should().Contain("slow down");
        latencies.Should().OnlyContain(latency => latency < TimeSpan.FromSeconds(2), "the flood must not starve the room");
        (await bob.Client.WhoAsync(room)).Users.Should().NotContain(u => u.StartsWith("flooder", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_flood_of_calls_to_methods_that_do_not_exist_is_disconnected()
    {
        await using var raw = await RawSocket.ConnectWithHandshakeAsync(fixture.Address);
        var frames = string.Concat(Enumerable.Range(0, 50).Select(i => RawSocket.Invocation("NoSuchMethod", i)));

        var closed = false;
        for (var i = 0; i < 40 && !closed; i++)
        {
            try
            {
                await raw.SendTextAsync(frames);
            }
            catch (System.Net.WebSockets.WebSocketException)
            {
                closed = true;
            }
        }

        (closed || await raw.WaitForCloseAsync(TimeSpan.FromSeconds(10))).Should().BeTrue();
        await using var other = await TestClient.ConnectAsync(fixture.Address, Names.User("other"));
        (await other.Client.HelpAsync()).Should().NotBeEmpty();
    }

    [Fact]
    public async Task Joins_are_limited_with_a_slow_down_sentence()
    {
        await using var alice = await TestClient.ConnectAsync(fixture.Address, Names.User("alice"));

        var refusals = 0;
        for (var i = 0; i < 20; i++)
        {
            try
            {
                await alice.Client.JoinAsync(Names.Room("hop"));
            }
            catch (ChatException ex)
            {
                ex.Message.Should().Be(Chat.Server.Hubs.RateLimitFilter.SlowDown);
                refusals++;
            }
        }

        refusals.Should().BeGreaterThan(0);
        (await alice.Client.MeAsync()).Rooms.Count.Should().Be(20 - refusals);
    }

    [Fact]
    public async Task Nicknames_that_only_look_different_cannot_coexist()
    {
        var suffix = Names.User(string.Empty);
        await using var admin = await TestClient.ConnectAsync(fixture.Address, "admin" + suffix);

        foreach (var lookAlike in new[] { "Admin" + suffix, "\u0430dmin" + suffix, "ＡＤＭＩＮ" + suffix, "\u0430\u0501m\u0456n" + suffix })
        {
            await using var impostor = TestClient.Create(fixture.Address, lookAlike);
            var connect = () => impostor.Client.ConnectAsync();
            (await connect.Should().ThrowAsync<ChatConnectionException>()).Which.Message.Should().Contain("is already in use");
        }

        await using var zeroWidth = TestClient.Create(fixture.Address, "ad\u200Bmin" + suffix);
        var invalid = () => zeroWidth.Client.ConnectAsync();
        (await invalid.Should().ThrowAsync<ChatConnectionException>()).Which.Message.Should().StartWith("Nicknames may use");
    }

    [Fact]
    public async Task The_sender_of_a_message_is_the_connections_nickname_whatever_the_payload_says()
    {
        var room = Names.Room();
        await using var bob = await TestClient.ConnectAsync(fixture.Address, Names.User("bob"));
        await bob.Client.JoinAsync(room);
        var nickname = Names.User("mallory");
        await using var raw = await RawSocket.ConnectWithHandshakeAsync(fixture.Address, $"name={nickname}");
        await raw.SendTextAsync(RawSocket.Invocation(nameof(IChatHub.Join), room));
        var forged = System.Text.Json.JsonSerializer.Serialize(new
        {
            type = 1,
            invocationId = "forged",
            target = nameof(IChatHub.SendMessage),
            arguments = new object[] { room, "it was me, Bob", "forged-1" },
            sender = bob.Nickname,
            headers = new { sender = bob.Nickname },
        }) + RawSocket.RecordSeparator;

        await raw.SendTextAsync(forged);

        var received = await bob.Messages.WaitForAsync(m => m.Text == "it was me, Bob");
        received.Sender.Should().Be(nickname);
    }

    [Fact]
    public async Task Health_and_readiness_probes_answer()
    {
        using var http = new HttpClient { BaseAddress = fixture.Address };

        using var alive = await http.GetAsync("/healthz");
        using var ready = await http.GetAsync("/readyz");

        alive.StatusCode.Should().Be(System.Net.HttpStatusCode.OK);
        ready.StatusCode.Should().Be(System.Net.HttpStatusCode.OK);
        (await ready.Content.ReadAsStringAsync()).Should().Be("Healthy");
    }

    /// <summary>On the server's own WebSocket framing (the default).</summary>
    public sealed class OnDirectPath(ChatServerFixture fixture) : LimitsTests(fixture), IClassFixture<ChatServerFixture>;

    /// <summary>Through ASP.NET Core's HTTP stack.</summary>
    public sealed class OnHttpPath(HttpWebSocketServerFixture fixture) : LimitsTests(fixture), IClassFixture<HttpWebSocketServerFixture>;
}
