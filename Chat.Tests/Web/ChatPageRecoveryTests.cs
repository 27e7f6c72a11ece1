using Chat.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Chat.Tests.Web;

/// <summary>The page across a server restart; this class has a server of its own to stop and start.</summary>
public sealed class ChatPageRecoveryTests(ChatPageFixture fixture) : IClassFixture<ChatPageFixture>
{
    [Fact]
    public async Task After_a_server_restart_the_page_reconnects_and_shows_what_was_sent_meanwhile_exactly_once()
    {
        var room = Names.Room("restart");
        var gate = new ConnectionGate();
        await using var page = await ChatPage.OpenAsync(fixture.Browser, fixture.Address, Names.User("rita"), room, gate: gate);
        await using var bob = await TestClient.ConnectAsync(fixture.Address, Names.User("bob"));
        await bob.Client.JoinAsync(room);
        await bob.Client.SendAsync(room, "before the restart");
        await Expect(page.MessagesWithText("before the restart")).ToHaveCountAsync(1);

        await fixture.Server.StopAsync();
        await Expect(page.Banner).ToHaveAttributeAsync("data-state", "reconnecting");
        await Expect(page.BannerText).ToContainTextAsync("Reconnecting");

        // The page is kept away until the others have talked, so what they say can only reach it as missed.
        gate.Close();
        await fixture.Server.StartAsync();
        await bob.Recoveries.WaitForCountAsync(1, TimeSpan.FromSeconds(30));
        for (var i = 1; i <= 3; i++)
        {
            await bob.Client.SendAsync(room, $"while you were away {i}");
        }

        await page.SendAsync("written while offline");
        await Expect(page.Outbox).ToContainTextAsync("Waiting for the connection");
        await Expect(page.BannerText).ToContainTextAsync("1 message will be sent when the connection is back");

        gate.Open();
        await page.Page.Locator("#banner-retry").DispatchEventAsync("click");
        await Expect(page.Banner).ToHaveAttributeAsync("data-state", "connected", new() { Timeout = 30_000 });

        foreach (var text in new[] { "before the restart", "while you were away 1", "while you were away 2", "while you were away 3", "written while offline" })
        {
            await Expect(page.MessagesWithText(text)).ToHaveCountAsync(1);
        }

        await Expect(page.ActivePane.Locator("li.divider")).ToHaveTextAsync("Missed while you were away");
        await Expect(page.Outbox).ToHaveCountAsync(0);
        await bob.Messages.WaitForAsync(message => message.Text == "written while offline");

        await bob.Client.SendAsync(room, "after the recovery");
        await Expect(page.MessagesWithText("after the recovery")).ToHaveCountAsync(1);
        var seqs = await page.Messages.EvaluateAllAsync<long[]>("items => items.map(item => Number(item.dataset.seq))");
        seqs.Should().Equal([1L, 2L, 3L, 4L, 5L, 6L], "every message once, in seq order, across the restart");
        bob.Messages.Items.Count(message => message.Text == "written while offline").Should().Be(1, "the queued send is stored once");
    }
}
