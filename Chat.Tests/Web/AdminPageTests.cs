using Chat.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Chat.Tests.Web;

/// <summary>
/// The admin screen in Chromium: it lists a room and its members, closes the room, and a member on the
/// chat page sees the notice. The picture goes to the test output folder; with
/// <c>SIGNALRCHAT_UPDATE_SCREENSHOTS=1</c> it also replaces docs/screenshots/admin.png.
/// </summary>
public sealed class AdminPageTests(ChatPageFixture fixture) : IClassFixture<ChatPageFixture>
{
    [Fact]
    public async Task An_administrator_sees_a_room_and_its_members_and_closing_it_tells_the_member_on_the_chat_page()
    {
        await using var carol = await TestClient.ConnectAsync(fixture.Address, "carol");
        await carol.Client.JoinAsync("general");
        await carol.Client.JoinAsync("random");
        await using var alice = await ChatPage.OpenAsync(fixture.Browser, fixture.Address, "alice", "general");
        await alice.SendAsync("Morning! Anything new on the admin screen?");
        await carol.Messages.WaitForAsync(message => message.Sender == "alice");
        await carol.Client.SendAsync("general", "Yes, it charts the traffic.");

        var context = await fixture.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = fixture.Address.ToString(),
            ViewportSize = ChatPage.Desktop,
            Locale = "en-GB",
            TimezoneId = "UTC",
        });
        try
        {
            context.SetDefaultTimeout(15_000);
            var admin = await context.NewPageAsync();
            var errors = new List<string>();
            admin.Console += (_, message) =>
            {
                if (message.Type == "error")
                {
                    errors.Add(message.Text);
                }
            };
            await admin.GotoAsync("/admin");

            var general = admin.Locator("#rooms li[data-room='general']");
            await Expect(general.Locator(".member", new() { HasText = "alice" })).ToHaveCountAsync(1);
            await Expect(general.Locator(".member", new() { HasText = "carol" })).ToHaveCountAsync(1);
            await Expect(admin.Locator("#nodes tbody tr")).ToHaveCountAsync(1);
            await Expect(admin.Locator("#recent tbody tr", new() { HasText = "connect" }).First).ToBeVisibleAsync();
            await Expect(admin.Locator("#chart-received [data-role='now']")).Not.ToHaveTextAsync("(0/s)");
            await Expect(admin.Locator("body")).Not.ToContainTextAsync("Anything new");
            (await Screenshots.SaveAsync(admin, "admin.png", fullPage: true)).Length.Should().BeGreaterThan(10_000);

            var close = general.GetByRole(AriaRole.Button, new() { Name = "Close room" });
            await close.ClickAsync();
            await general.GetByRole(AriaRole.Button, new() { Name = "Press again to close #general" }).ClickAsync();

            await Expect(alice.Notices.Filter(new() { HasText = "An administrator closed #general." })).ToHaveCountAsync(1);
            await Expect(alice.OpenRoom("general")).ToHaveCountAsync(0);
            await carol.RoomClosures.WaitForAsync(closure => closure.Room == "general");
            await Expect(admin.Locator("#action-status")).ToContainTextAsync("Done: #general");
            await Expect(general).ToHaveCountAsync(0);

            // Phone width: one column, nothing wider than the screen.
            await admin.SetViewportSizeAsync(320, 720);
            (await admin.EvaluateAsync<bool>("document.documentElement.scrollWidth <= document.documentElement.clientWidth"))
                .Should().BeTrue("the admin screen must not scroll sideways at 320 px");
            errors.Should().BeEmpty("the page runs under its CSP without errors");
        }
        finally
        {
            await context.CloseAsync();
        }
    }
}
