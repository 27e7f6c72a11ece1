using Chat.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Chat.Tests.Web;

/// <summary>Owners and operators running a room from the page in Chromium: the member list's actions, the settings dialog, the topic.</summary>
public sealed class ChatPageModerationTests(ChatPageFixture fixture) : IClassFixture<ChatPageFixture>
{
    [Fact]
    public async Task An_owner_kicks_a_member_from_the_member_list_and_the_kicked_page_shows_why_and_loses_the_room()
    {
        var (owner, room) = (Names.User("alice"), Names.Room("kick"));
        await using var alice = await ChatPage.SignInAsync(fixture.Browser, fixture.Address, owner, WebAccounts.Password, create: true);
        await alice.JoinAsync(room);
        var guest = Names.User("bob");
        await using var bob = await ChatPage.OpenAsync(fixture.Browser, fixture.Address, guest, room);
        await Expect(bob.Member(owner).Locator(".role")).ToHaveTextAsync("owner");
        await Expect(bob.Page.Locator("#member-list .member-manage")).ToHaveCountAsync(0);
        await Expect(bob.RoomSettingsButton).ToBeHiddenAsync();

        await alice.Member(guest).GetByRole(AriaRole.Button, new() { Name = $"Moderate {guest}" }).ClickAsync();
        await Expect(alice.MemberDialog).ToBeVisibleAsync();
        await alice.Page.Locator("#kick-reason").FillAsync("flooding");
        await alice.Page.Locator("#kick-reason").PressAsync("Enter");

        await Expect(bob.Notices.Filter(new() { HasText = $"You were kicked from #{room} by {owner} (flooding)." })).ToHaveCountAsync(1);
        await Expect(bob.OpenRoom(room)).ToHaveCountAsync(0);
        await Expect(bob.RoomTitle).Not.ToHaveTextAsync($"#{room}");
        await Expect(alice.MemberDialog).Not.ToBeVisibleAsync();
        await Expect(alice.Notices.Filter(new() { HasText = $"You kicked {guest} (flooding)." })).ToHaveCountAsync(1);
        await Expect(alice.Member(guest)).ToHaveCountAsync(0);
    }

    [Fact]
    public async Task An_owner_makes_a_member_an_operator_who_then_bans_a_guest_and_the_owner_lifts_the_ban_in_the_settings()
    {
        var (owner, second, room) = (Names.User("alice"), Names.User("bob"), Names.Room("ban"));
        await WebAccounts.CreateAsync(fixture.Address, second);
        await using var alice = await ChatPage.SignInAsync(fixture.Browser, fixture.Address, owner, WebAccounts.Password, create: true);
        await alice.JoinAsync(room);
        await using var bob = await ChatPage.SignInAsync(fixture.Browser, fixture.Address, second, WebAccounts.Password, room: room);
        var guest = Names.User("carol");
        await using var carol = await ChatPage.OpenAsync(fixture.Browser, fixture.Address, guest, room);
        await Expect(bob.RoomSettingsButton).ToBeHiddenAsync();

        await alice.Member(second).GetByRole(AriaRole.Button, new() { Name = $"Moderate {second}" }).ClickAsync();
        await alice.MemberDialog.GetByRole(AriaRole.Button, new() { Name = "Make operator" }).ClickAsync();

        await Expect(bob.Member(second).Locator(".role")).ToHaveTextAsync("operator");
        await Expect(carol.Member(second).Locator(".role")).ToHaveTextAsync("operator");
        await Expect(bob.Notices.Filter(new() { HasText = $"{owner} made you an operator of #{room}." })).ToHaveCountAsync(1);
        await Expect(bob.RoomSettingsButton).ToBeVisibleAsync();

        await bob.Member(guest).GetByRole(AriaRole.Button, new() { Name = $"Moderate {guest}" }).ClickAsync();
        await bob.MemberDialog.GetByRole(AriaRole.Button, new() { Name = "Ban", Exact = true }).ClickAsync();

        await Expect(carol.Notices.Filter(new() { HasText = $"You were banned from #{room} by {second}." })).ToHaveCountAsync(1);
        await Expect(carol.OpenRoom(room)).ToHaveCountAsync(0);
        await Expect(alice.Notices.Filter(new() { HasText = $"{guest} was banned from #{room} by {second}." })).ToHaveCountAsync(1);
        await carol.SendAsync($"/join {room}");
        await Expect(carol.Notices.Last).ToContainTextAsync("banned");
        await Expect(carol.OpenRoom(room)).ToHaveCountAsync(0);

        await alice.RoomSettingsButton.ClickAsync();
        await Expect(alice.SettingsDialog).ToBeVisibleAsync();
        await alice.SettingsDialog.GetByRole(AriaRole.Button, new() { Name = $"Unban {guest}" }).ClickAsync();
        await Expect(alice.SettingsDialog.Locator("#settings-bans li")).ToHaveCountAsync(0);
        await alice.Page.Keyboard.PressAsync("Escape");
        await Expect(alice.SettingsDialog).Not.ToBeVisibleAsync();

        await carol.SendAsync($"/join {room}");
        await Expect(carol.RoomTitle).ToHaveTextAsync($"#{room}");
    }

    [Fact]
    public async Task The_settings_dialog_sets_a_topic_and_invite_only_with_the_keyboard_alone_and_other_members_see_the_topic()
    {
        var (owner, room) = (Names.User("alice"), Names.Room("settings"));
        await using var alice = await ChatPage.SignInAsync(fixture.Browser, fixture.Address, owner, WebAccounts.Password, create: true);
        await alice.JoinAsync(room);
        await using var bob = await ChatPage.OpenAsync(fixture.Browser, fixture.Address, Names.User("bob"), room);

        // Tab from the top of the page reaches the settings button in the room's header.
        var keyboard = alice.Page.Keyboard;
        await alice.Page.Locator("body").FocusAsync();
        await alice.Page.EvaluateAsync("() => document.activeElement?.blur()");
        for (var presses = 0; presses < 12 && !await alice.RoomSettingsButton.EvaluateAsync<bool>("button => button === document.activeElement"); presses++)
        {
            await keyboard.PressAsync("Tab");
        }

        await Expect(alice.RoomSettingsButton).ToBeFocusedAsync();
        await keyboard.PressAsync("Enter");
        await Expect(alice.SettingsDialog).ToBeVisibleAsync();
        var topic = alice.Page.GetByLabel("Topic", new() { Exact = true });
        await Expect(topic).ToBeFocusedAsync();
        await keyboard.TypeAsync("Release day: be kind");
        await keyboard.PressAsync("Tab");
        await Expect(alice.Page.Locator("#settings-invite-only")).ToBeFocusedAsync();
        await keyboard.PressAsync("Space");
        await keyboard.PressAsync("Shift+Tab");
        await keyboard.PressAsync("Enter");

        await Expect(alice.SettingsDialog).Not.ToBeVisibleAsync();
        await Expect(alice.RoomSettingsButton).ToBeFocusedAsync();
        await Expect(alice.RoomTopic).ToHaveTextAsync("Release day: be kind");
        await Expect(alice.RoomSubtitle).ToContainTextAsync("invite-only");
        await Expect(bob.RoomTopic).ToHaveTextAsync("Release day: be kind");
        await Expect(bob.Notices.Filter(new() { HasText = $"{owner} set the topic: Release day: be kind" })).ToHaveCountAsync(1);
        await Expect(bob.Notices.Filter(new() { HasText = $"{owner} made #{room} invite-only." })).ToHaveCountAsync(1);
        await Expect(bob.LobbyRoom(room).Locator(".room-topic-line")).ToHaveTextAsync("Topic: Release day: be kind");

        // Escape closes the dialog without saving, and the focus goes back to the button.
        await keyboard.PressAsync("Enter");
        await Expect(alice.SettingsDialog).ToBeVisibleAsync();
        await Expect(topic).ToHaveValueAsync("Release day: be kind");
        await Expect(alice.Page.Locator("#settings-invite-only")).ToBeCheckedAsync();
        await keyboard.PressAsync("Escape");
        await Expect(alice.SettingsDialog).Not.ToBeVisibleAsync();
        await Expect(alice.RoomSettingsButton).ToBeFocusedAsync();

        var guest = Names.User("carol");
        await using var carol = await ChatPage.OpenAsync(fixture.Browser, fixture.Address, guest);
        await carol.SendAsync($"/join {room}");
        await Expect(carol.Notices.Last).ToHaveTextAsync($"#{room} is invite-only. Ask an operator for an invite.");
        await Expect(carol.OpenRoom(room)).ToHaveCountAsync(0);

        // An invitation from the settings dialog reaches her with a button that joins.
        await keyboard.PressAsync("Enter");
        await alice.Page.GetByLabel("Nickname to invite").FillAsync(guest);
        await alice.Page.GetByLabel("Nickname to invite").PressAsync("Enter");
        await Expect(alice.SettingsDialog.Locator("#settings-invited")).ToContainTextAsync(guest);
        await keyboard.PressAsync("Escape");
        var invitation = carol.Notices.Filter(new() { HasText = $"{owner} invited you to #{room}." });
        await Expect(invitation).ToHaveCountAsync(1);
        await invitation.GetByRole(AriaRole.Button, new() { Name = $"Join #{room}" }).ClickAsync();
        await Expect(carol.RoomTitle).ToHaveTextAsync($"#{room}");
        await Expect(carol.RoomTopic).ToHaveTextAsync("Release day: be kind");
    }

    [Fact]
    public async Task A_member_who_is_not_an_operator_is_refused_with_the_servers_sentence()
    {
        var (owner, room) = (Names.User("alice"), Names.Room("refuse"));
        await using var alice = await ChatPage.SignInAsync(fixture.Browser, fixture.Address, owner, WebAccounts.Password, create: true);
        await alice.JoinAsync(room);
        await using var bob = await ChatPage.OpenAsync(fixture.Browser, fixture.Address, Names.User("bob"), room);

        await bob.SendAsync($"/kick {owner} no reason");
        await Expect(bob.Notices.Last).ToHaveTextAsync($"Only operators of #{room} can kick.");
        await bob.SendAsync("/topic mine now");
        await Expect(bob.Notices.Last).ToHaveClassAsync(new System.Text.RegularExpressions.Regex(@"\bnotice-error\b"));
        await Expect(alice.RoomTopic).ToBeEmptyAsync();
        await Expect(alice.Member(owner)).ToHaveCountAsync(1);
    }
}
