using System.Net;
using Chat.Protocol;
using Chat.Tests.Infrastructure;
using Microsoft.AspNetCore.SignalR.Client;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Chat.Tests.Web;

/// <summary>The browser page against a real server, driven in headless Chromium as a user would.</summary>
public sealed class ChatPageTests(ChatPageFixture fixture) : IClassFixture<ChatPageFixture>
{
    [Fact]
    public async Task Two_pages_in_a_room_chat_and_a_page_in_another_room_sees_nothing()
    {
        var (room, other) = (Names.Room("lounge"), Names.Room("elsewhere"));
        var (aliceName, bobName, carolName) = (Names.User("alice"), Names.User("bob"), Names.User("carol"));
        await using var alice = await ChatPage.OpenAsync(fixture.Browser, fixture.Address, aliceName, room);
        await using var bob = await ChatPage.OpenAsync(fixture.Browser, fixture.Address, bobName, room);
        await using var carol = await ChatPage.OpenAsync(fixture.Browser, fixture.Address, carolName, other);
        await Expect(alice.Members.Locator(".member-name")).ToHaveTextAsync([aliceName, bobName]);
        await Expect(alice.Notices.Filter(new LocatorFilterOptions { HasText = $"{bobName} joined #{room}" })).ToHaveCountAsync(1);

        await alice.SendAsync("Hello Bob!");
        await Expect(bob.MessagesWithText("Hello Bob!")).ToHaveCountAsync(1);
        await Expect(bob.MessagesWithText("Hello Bob!").Locator(".sender")).ToHaveTextAsync(aliceName);

        // Presence comes in batches that repeat what a page knows (its own join, members in its
        // snapshot); it reached Bob before Alice's message did, and neither page announces those.
        await Expect(bob.Notices.Filter(new LocatorFilterOptions { HasText = $"{aliceName} joined #" })).ToHaveCountAsync(0);
        await Expect(bob.Notices.Filter(new LocatorFilterOptions { HasText = $"{bobName} joined #" })).ToHaveCountAsync(0);
        await Expect(alice.Notices.Filter(new LocatorFilterOptions { HasText = $"{aliceName} joined #" })).ToHaveCountAsync(0);
        await Expect(bob.Members.Locator(".member-name")).ToHaveTextAsync([aliceName, bobName]);
        await Expect(bob.MessagesWithText("Hello Bob!")).Not.ToHaveClassAsync(new System.Text.RegularExpressions.Regex(@"\bown\b"));
        await Expect(alice.MessagesWithText("Hello Bob!")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex(@"\bown\b"), new() { Timeout = 5_000 });

        // Shift+Enter starts a new line; Enter sends.
        await bob.MessageBox.PressSequentiallyAsync("Hi Alice,");
        await bob.MessageBox.PressAsync("Shift+Enter");
        await bob.MessageBox.PressSequentiallyAsync("nice to see you.");
        await Expect(alice.Typing).ToHaveTextAsync($"{bobName} is typing…");
        await bob.MessageBox.PressAsync("Enter");
        await Expect(alice.MessagesWithText("Hi Alice,\nnice to see you.")).ToHaveCountAsync(1);
        await Expect(alice.Typing).ToHaveTextAsync(string.Empty);
        await Expect(bob.MessageBox).ToHaveValueAsync(string.Empty);

        // Carol's own message is her barrier: anything for her from the other room would have come before it.
        await carol.SendAsync("Anyone here?");
        await Expect(carol.MessagesWithText("Anyone here?")).ToHaveCountAsync(1);
        await Expect(carol.Messages).ToHaveCountAsync(1);
        await Expect(carol.Page.GetByText("Hello Bob!")).ToHaveCountAsync(0);
        await Expect(alice.Messages).ToHaveCountAsync(2);
        await Expect(alice.Page.GetByText("Anyone here?")).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task Markup_in_a_message_is_shown_as_text_and_runs_nothing()
    {
        var room = Names.Room("safety");
        const string markup = "<img src=x onerror=alert(1)>";
        await using var mallory = await ChatPage.OpenAsync(fixture.Browser, fixture.Address, Names.User("mallory"), room);
        await using var victim = await ChatPage.OpenAsync(fixture.Browser, fixture.Address, Names.User("victim"), room);

        await mallory.SendAsync(markup);
        await mallory.SendAsync("<script>alert(2)</script> and https://example.invalid/<b>x</b>");
        await mallory.SendAsync("done");

        foreach (var page in new[] { victim, mallory })
        {
            await Expect(page.MessagesWithText("done")).ToHaveCountAsync(1);
            await Expect(page.MessagesWithText(markup)).ToHaveCountAsync(1);
            await Expect(page.Page.Locator("ol.messages img, ol.messages script, ol.messages b")).ToHaveCountAsync(0);
            page.Dialogs.Should().BeEmpty("no message may run script");
            page.ConsoleErrors.Should().BeEmpty("the page keeps to its own Content-Security-Policy");
        }

        // The policy's Trusted Types make every HTML-parsing sink throw, so no code path can slip markup in.
        var sink = await victim.Page.EvaluateAsync<string>(
            "() => { try { document.body.insertAdjacentHTML('beforeend', '<b>x</b>'); return 'parsed'; } catch { return 'refused'; } }");
        sink.Should().Be("refused");
    }

    [Fact]
    public async Task The_page_is_served_at_the_root_with_a_policy_that_allows_only_its_own_scripts()
    {
        using var http = new HttpClient { BaseAddress = fixture.Address, Timeout = TimeSpan.FromSeconds(10) };

        using var page = await http.GetAsync("/");
        using var client = await http.GetAsync("/lib/signalr/signalr.min.js");

        page.StatusCode.Should().Be(HttpStatusCode.OK);
        page.Content.Headers.ContentType!.MediaType.Should().Be("text/html");
        var policy = string.Join(' ', page.Headers.GetValues("Content-Security-Policy"));
        policy.Should().Contain("script-src 'self'").And.NotContain("unsafe-inline").And.NotContain("unsafe-eval");
        page.Headers.CacheControl!.NoCache.Should().BeTrue("the page's file names carry no version");
        client.StatusCode.Should().Be(HttpStatusCode.OK, "the build copies the npm package's browser bundle next to the page");
        (await page.Content.ReadAsStringAsync()).Should().NotContain("onclick=").And.NotContain("<script>");
    }

    [Fact]
    public async Task The_lobby_shows_live_member_counts_that_change_when_a_page_joins_and_leaves()
    {
        var room = Names.Room("lobby");
        await using var watcher = await ChatPage.OpenAsync(fixture.Browser, fixture.Address, Names.User("watcher"), room);
        await Expect(watcher.LobbyRoom(room).Locator(".count")).ToHaveTextAsync("1 member");

        await using var visitor = await ChatPage.OpenAsync(fixture.Browser, fixture.Address, Names.User("visitor"));
        await Expect(visitor.LobbyRoom(room).Locator(".count")).ToHaveTextAsync("1 member");
        await visitor.LobbyRoom(room).GetByRole(AriaRole.Button).ClickAsync();
        await Expect(visitor.RoomTitle).ToHaveTextAsync($"#{room}");

        await Expect(watcher.LobbyRoom(room).Locator(".count")).ToHaveTextAsync("2 members");
        await Expect(visitor.LobbyRoom(room).Locator(".count")).ToHaveTextAsync("2 members");

        await visitor.OpenRoom(room).GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = $"Leave #{room}" }).ClickAsync();
        await Expect(watcher.LobbyRoom(room).Locator(".count")).ToHaveTextAsync("1 member");
        await Expect(visitor.OpenRooms).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task A_deep_link_joins_the_room_on_load_and_shows_its_latest_messages()
    {
        var room = Names.Room("linked");
        await using var host = await TestClient.ConnectAsync(fixture.Address, Names.User("host"));
        await host.Client.JoinAsync(room);
        await host.Client.SendAsync(room, "Welcome, whoever follows the link!");
        var guestName = Names.User("guest");

        // The guest's clock says tomorrow, so the host's message is from yesterday and the guest's join from today.
        await using var guest = await ChatPage.OpenAsync(
            fixture.Browser, fixture.Address, guestName, room, prepare: context => context.Clock.SetFixedTimeAsync(DateTime.UtcNow.AddDays(1)));

        await Expect(guest.RoomTitle).ToHaveTextAsync($"#{room}");
        await Expect(guest.MessagesWithText("Welcome, whoever follows the link!").Locator(".sender")).ToHaveTextAsync(host.Nickname);
        await Expect(guest.ActivePane.Locator("li.day")).ToHaveTextAsync(["Yesterday", "Today"]);
        await Expect(guest.OpenRoom(room)).ToHaveCountAsync(1);
        await Expect(guest.Members).ToHaveCountAsync(2);
        await host.Joins.WaitForAsync(presence => presence.Room == room && presence.Nickname == guestName);
        guest.Page.Url.Should().EndWith($"/?room={room}", "the address stays a link to the open room");
    }

    [Fact]
    public async Task The_same_words_sent_twice_quickly_and_from_another_tab_each_clear_only_their_own_sending_copy()
    {
        var room = Names.Room("echo");
        var name = Names.User("twice");
        var held = new HeldSends();
        await using var page = await ChatPage.OpenAsync(fixture.Browser, fixture.Address, name, room, prepare: held.AttachAsync);
        var key = await page.Page.EvaluateAsync<string>("() => localStorage.getItem('signalrchat.key')");
        await using var otherTab = await RawHub.ConnectAsync(fixture.Address, null, key);
        await otherTab.CallAsync<RoomSnapshot>(nameof(IChatHub.Join), room);

        // The page's two sends wait on the way to the server while the same user says the same words
        // from another tab: that copy is the user's own, with the same text, yet it settles neither send.
        await page.SendAsync("same words");
        await page.SendAsync("same words");
        await Expect(page.Outbox).ToHaveCountAsync(2);
        await Expect(page.Outbox.First).ToContainTextAsync("Sending…");
        await otherTab.CallAsync<ChatMessage>(nameof(IChatHub.SendMessage), room, "same words", "from-the-other-tab");
        await Expect(page.MessagesWithText("same words")).ToHaveCountAsync(1);
        await Expect(page.Outbox).ToHaveCountAsync(2);

        held.Release();
        await Expect(page.MessagesWithText("same words")).ToHaveCountAsync(3);
        await Expect(page.Outbox).ToHaveCountAsync(0);
        await Expect(page.MessagesWithText("same words")).ToHaveClassAsync([.. Enumerable.Repeat(new System.Text.RegularExpressions.Regex(@"\bown\b"), 3)]);
        page.ConsoleErrors.Should().BeEmpty();
    }

    [Fact]
    public async Task A_reload_keeps_the_nickname_and_reopens_the_rooms_that_were_open()
    {
        var (first, second) = (Names.Room("kept"), Names.Room("kept"));
        var name = Names.User("loyal");
        await using var page = await ChatPage.OpenAsync(fixture.Browser, fixture.Address, name, first);
        await page.SendAsync($"/join {second}");
        await Expect(page.RoomTitle).ToHaveTextAsync($"#{second}");
        await page.SendAsync("still here after a reload?");
        await Expect(page.MessagesWithText("still here after a reload?")).ToHaveCountAsync(1);
        await Expect(page.Outbox).ToHaveCountAsync(0, new LocatorAssertionsToHaveCountOptions { Timeout = 5_000 });

        await page.Page.GotoAsync("/");

        await Expect(page.MyNickname).ToHaveTextAsync(name);
        await Expect(page.NicknameDialog).Not.ToBeVisibleAsync();
        await Expect(page.OpenRooms).ToHaveCountAsync(2);
        await Expect(page.RoomTitle).ToHaveTextAsync($"#{second}");
        await Expect(page.MessagesWithText("still here after a reload?")).ToHaveCountAsync(1);
        await Expect(page.MessagesWithText("still here after a reload?")).ToHaveClassAsync(new System.Text.RegularExpressions.Regex(@"\bown\b"));
    }

    [Fact]
    public async Task A_taken_nickname_is_refused_with_the_servers_sentence_and_another_can_be_chosen()
    {
        await using var holder = await TestClient.ConnectAsync(fixture.Address, Names.User("taken"));
        await using var page = await ChatPage.LoadAsync(fixture.Browser, fixture.Address);

        await page.ChooseNicknameAsync(holder.Nickname);
        await Expect(page.NicknameError).ToHaveTextAsync($"The nickname {holder.Nickname} is already in use. Choose another one.");

        var other = Names.User("second");
        await page.ChooseNicknameAsync(other);
        await Expect(page.MyNickname).ToHaveTextAsync(other);
        await Expect(page.NicknameDialog).Not.ToBeVisibleAsync();
    }

    [Fact]
    public async Task A_guest_with_no_name_takes_the_servers_nickname_and_keeps_it_after_a_reload()
    {
        await using var page = await ChatPage.LoadAsync(fixture.Browser, fixture.Address);

        await page.Page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Continue as guest" }).ClickAsync();
        await Expect(page.MyNickname).ToHaveTextAsync(new System.Text.RegularExpressions.Regex("^user_"));
        var assigned = await page.MyNickname.TextContentAsync();
        await page.Page.ReloadAsync();

        await Expect(page.MyNickname).ToHaveTextAsync(assigned!);
        await Expect(page.NicknameDialog).Not.ToBeVisibleAsync();
    }

    [Fact]
    public async Task The_banner_says_when_the_device_is_offline_and_clears_when_it_is_back()
    {
        var room = Names.Room("flaky");
        await using var page = await ChatPage.OpenAsync(fixture.Browser, fixture.Address, Names.User("commuter"), room);
        await Expect(page.Banner).ToHaveAttributeAsync("data-state", "connected");

        await page.Context.SetOfflineAsync(true);
        await Expect(page.Banner).ToHaveAttributeAsync("data-state", "offline");
        await Expect(page.BannerText).ToHaveTextAsync("You are offline. Waiting for the network…");

        await page.Context.SetOfflineAsync(false);
        await Expect(page.Banner).ToHaveAttributeAsync("data-state", "connected");
        await page.SendAsync("back on the train wifi");
        await Expect(page.MessagesWithText("back on the train wifi")).ToHaveCountAsync(1);
    }

    [Fact]
    public async Task History_shows_the_latest_messages_on_join_and_pages_back_by_seq_when_scrolling_up()
    {
        var room = Names.Room("archive");
        await using var writer = await TestClient.ConnectAsync(fixture.Address, Names.User("writer"));
        await writer.Client.JoinAsync(room);
        for (var i = 1; i <= 120; i++)
        {
            await writer.Client.SendAsync(room, $"message {i}");
        }

        await using var reader = await ChatPage.OpenAsync(fixture.Browser, fixture.Address, Names.User("reader"), room);
        await Expect(reader.Messages).ToHaveCountAsync(50);
        await Expect(reader.Messages.First.Locator(".text")).ToHaveTextAsync("message 71");
        await Expect(reader.Messages.Last.Locator(".text")).ToHaveTextAsync("message 120");

        var scroller = reader.ActivePane.Locator(".pane-scroll");
        await scroller.EvaluateAsync("element => element.scrollTop = 0");
        await Expect(reader.Messages).ToHaveCountAsync(100);
        await Expect(reader.Messages.First.Locator(".text")).ToHaveTextAsync("message 21");

        await scroller.EvaluateAsync("element => element.scrollTop = 0");
        await Expect(reader.Messages).ToHaveCountAsync(120);
        await Expect(reader.ActivePane.GetByText($"This is the beginning of #{room}.")).ToBeVisibleAsync();

        var seqs = await reader.Messages.EvaluateAllAsync<long[]>("items => items.map(item => Number(item.dataset.seq))");
        seqs.Should().Equal(Enumerable.Range(1, 120).Select(i => (long)i), "each message once, in seq order");
        var texts = await reader.Messages.Locator(".text").AllTextContentsAsync();
        texts.Should().Equal(Enumerable.Range(1, 120).Select(i => $"message {i}"));
    }

    [Fact]
    public async Task The_console_clients_slash_commands_work_in_the_message_box()
    {
        var (room, side) = (Names.Room("commands"), Names.Room("side"));
        await using var bob = await TestClient.ConnectAsync(fixture.Address, Names.User("bob"));
        await bob.Client.JoinAsync(room);
        await using var page = await ChatPage.OpenAsync(fixture.Browser, fixture.Address, Names.User("ann"), room);

        await page.SendAsync("/help");
        await Expect(page.Notices.Last).ToContainTextAsync("/join <room>");

        await page.SendAsync("/who");
        await Expect(page.Notices.Last).ToContainTextAsync(bob.Nickname);

        await page.SendAsync($"/msg {bob.Nickname} just between us");
        (await bob.Directs.WaitForAsync(message => message.Text == "just between us")).To.Should().Be(bob.Nickname);
        await Expect(page.ActivePane.Locator("li.direct")).ToContainTextAsync("just between us");

        var renamed = Names.User("anna");
        await page.SendAsync($"/nick {renamed}");
        await Expect(page.MyNickname).ToHaveTextAsync(renamed);
        await bob.Renames.WaitForAsync(change => change.NewNickname == renamed);

        await page.SendAsync($"/join {side}");
        await Expect(page.RoomTitle).ToHaveTextAsync($"#{side}");
        await page.SendAsync("/rooms");
        await Expect(page.Notices.Last).ToContainTextAsync($"#{room}");
        await Expect(page.Notices.Last).ToContainTextAsync($"#{side}");
        await page.SendAsync("/list");
        await Expect(page.Notices.Last).ToContainTextAsync($"#{side} (1): {renamed}");

        await page.SendAsync($"/switch {room}");
        await Expect(page.RoomTitle).ToHaveTextAsync($"#{room}");
        await page.SendAsync($"/leave {side}");
        await Expect(page.OpenRooms).ToHaveCountAsync(1);

        await page.SendAsync("/join no#such!room");
        await Expect(page.Notices.Last).ToHaveTextAsync("Room names may use letters, digits, - and _ (1-32 characters).");
        await page.SendAsync("/frobnicate");
        await Expect(page.Notices.Last).ToHaveTextAsync("Unknown command /frobnicate. Type /help to see the commands.");
        await page.SendAsync("//not a command");
        await Expect(page.MessagesWithText("/not a command")).ToHaveCountAsync(1);
    }

    [Fact]
    public async Task At_phone_width_the_rooms_open_in_a_drawer_that_the_keyboard_can_close()
    {
        var room = Names.Room("pocket");
        await using var page = await ChatPage.OpenAsync(fixture.Browser, fixture.Address, Names.User("mobile"), room, ChatPage.Phone);
        var sidebar = page.Page.Locator("#sidebar");
        var toggle = page.Page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Rooms", Exact = true });

        await Expect(sidebar).Not.ToBeVisibleAsync();
        await Expect(page.MessageBox).ToBeInViewportAsync();
        await toggle.ClickAsync();
        await Expect(sidebar).ToBeVisibleAsync();
        await Expect(toggle).ToHaveAttributeAsync("aria-expanded", "true");
        await Expect(page.OpenRoom(room)).ToBeVisibleAsync();

        await page.Page.Keyboard.PressAsync("Escape");
        await Expect(sidebar).Not.ToBeVisibleAsync();
        await Expect(toggle).ToBeFocusedAsync();

        await page.SendAsync("typed on a phone");
        await Expect(page.MessagesWithText("typed on a phone")).ToBeInViewportAsync();
    }
}
