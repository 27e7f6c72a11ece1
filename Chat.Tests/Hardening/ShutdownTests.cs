using Chat.Tests.Infrastructure;

namespace Chat.Tests.Hardening;

public abstract class ShutdownTests(WebSocketPath path)
{
    [Fact]
    public async Task Sigterm_mid_conversation_tells_clients_and_loses_no_acknowledged_message()
    {
        var room = Names.Room();
        await using var server = await ChatServerProcess.StartAsync(path: path);
        await using var alice = await TestClient.ConnectAsync(server.Address, Names.User("alice"));
        await using var bob = await TestClient.ConnectAsync(server.Address, Names.User("bob"));
        await alice.Client.JoinAsync(room);
        await bob.Client.JoinAsync(room);

        var acknowledged = new System.Collections.Concurrent.ConcurrentBag<Chat.Protocol.ChatMessage>();
        using var stop = new CancellationTokenSource();
        var talkers = new[] { alice, bob }.Select(client => Task.Run(async () =>
        {
            for (var i = 0; !stop.IsCancellationRequested; i++)
            {
                try
                {
                    acknowledged.Add(await client.Client.SendAsync(room, $"{client.Nickname} {i}", stop.Token));
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                await Task.Delay(20);
            }
        })).ToArray();

        await alice.Messages.WaitForCountAsync(20);
        await server.StopAsync();
        (await alice.Notices.WaitForAsync(_ => true)).Kind.Should().Be("restarting");
        (await bob.Notices.WaitForAsync(_ => true)).Kind.Should().Be("restarting");
        await server.StartAsync();
        await bob.Recoveries.WaitForCountAsync(1, TimeSpan.FromSeconds(30));
        var countAfterRestart = acknowledged.Count;
        await alice.Messages.WaitUntilAsync(all => acknowledged.Count > countAfterRestart + 5, TimeSpan.FromSeconds(30));
        await stop.CancelAsync();
        await Task.WhenAll(talkers);

        await using var reader = await TestClient.ConnectAsync(server.Address, Names.User("reader"));
        await reader.Client.JoinAsync(room);
        var stored = await reader.ReadWholeHistoryAsync(room);

        stored.Select(m => m.Seq).Should().Equal(Enumerable.Range(1, stored.Count).Select(i => (long)i), "seq stays gapless across the restart");
        stored.Select(m => m.Id).Should().OnlyHaveUniqueItems();
        stored.Select(m => m.Id).Should().Contain(acknowledged.Select(m => m.Id), "every acknowledged message is kept");
        stored.Select(m => m.Text).Should().OnlyHaveUniqueItems("no message is stored twice");
    }

    /// <summary>On the server's own WebSocket framing (the default).</summary>
    public sealed class OnDirectPath() : ShutdownTests(WebSocketPath.Direct);

    /// <summary>Through ASP.NET Core's HTTP stack.</summary>
    public sealed class OnHttpPath() : ShutdownTests(WebSocketPath.Http);
}
