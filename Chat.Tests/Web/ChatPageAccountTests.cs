using Chat.Tests.Infrastructure;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Chat.Tests.Web;

/// <summary>Signing in, creating an account, guests, expired and forged tokens, and signing out, on the page in Chromium.</summary>
public sealed class ChatPageAccountTests(ChatPageFixture fixture) : IClassFixture<ChatPageFixture>
{
    private const string SessionKey = "signalrchat.session";

    [Fact]
    public async Task Creating_an_account_signs_in_and_a_room_the_user_creates_shows_them_as_its_owner()
    {
        var (username, room) = (Names.User("alice"), Names.Room("owned"));
        await using var page = await ChatPage.SignInAsync(fixture.Browser, fixture.Address, username, WebAccounts.Password, create: true);
        await Expect(page.NicknameDialog).Not.ToBeVisibleAsync();
        await Expect(page.Page.GetByRole(AriaRole.Button, new() { Name = "Sign out" })).ToBeVisibleAsync();
        await Expect(page.Page.GetByRole(AriaRole.Button, new() { Name = "Change", Exact = true })).ToBeHiddenAsync();

        await page.JoinAsync(room);

        var me = page.Member(username);
        await Expect(me.Locator(".member-name")).ToHaveTextAsync(username);
        await Expect(me.Locator(".role")).ToHaveTextAsync("owner");
        await Expect(me.Locator(".you")).ToHaveTextAsync("(you)");
        await Expect(page.RoomSettingsButton).ToBeVisibleAsync();

        // The token is kept for the tab: a reload is still signed in, as the same user, in the same room.
        await page.Page.ReloadAsync();
        await Expect(page.MeLabel).ToHaveTextAsync("Signed in as");
        await Expect(page.MyNickname).ToHaveTextAsync(username);
        await Expect(page.NicknameDialog).Not.ToBeVisibleAsync();
        await Expect(page.RoomTitle).ToHaveTextAsync($"#{room}");
        await Expect(page.Member(username).Locator(".role")).ToHaveTextAsync("owner");
        var secretsInStorage = await page.Page.EvaluateAsync<string>("() => JSON.stringify(localStorage) + JSON.stringify(sessionStorage)");
        secretsInStorage.Should().NotContain(WebAccounts.Password, "the password is never kept");
        page.ConsoleErrors.Should().BeEmpty();
    }

    [Fact]
    public async Task A_wrong_password_shows_the_servers_sentence_and_the_page_stays_at_the_sign_in_form()
    {
        var username = Names.User("bob");
        await WebAccounts.CreateAsync(fixture.Address, username);
        var sentence = await WebAccounts.RefusedSignInSentenceAsync(fixture.Address, username, "not the password");
        await using var page = await ChatPage.LoadAsync(fixture.Browser, fixture.Address);

        await page.SignInWithDialogAsync(username, "still not the password");

        await Expect(page.NicknameError).ToHaveTextAsync(sentence);
        await Expect(page.NicknameDialog).ToBeVisibleAsync();
        await Expect(page.PasswordInput).ToBeFocusedAsync();
        await Expect(page.PasswordInput).ToHaveValueAsync(string.Empty);

        // The right password then signs in from the same form.
        await page.PasswordInput.FillAsync(WebAccounts.Password);
        await page.PasswordInput.PressAsync("Enter");
        await Expect(page.MeLabel).ToHaveTextAsync("Signed in as");
        await Expect(page.MyNickname).ToHaveTextAsync(username);
    }

    [Fact]
    public async Task Repeated_wrong_passwords_are_throttled_and_the_page_says_when_to_try_again()
    {
        var username = Names.User("mallory");
        await WebAccounts.CreateAsync(fixture.Address, username);
        await using var page = await ChatPage.LoadAsync(fixture.Browser, fixture.Address);
        await page.NameInput.FillAsync(username);

        // Wrong passwords for one username pause sign-in to it; the page shows the 429's sentence with the wait.
        var throttled = page.NicknameError.Filter(new() { HasTextRegex = new System.Text.RegularExpressions.Regex(@"[Tt]ry again (in|later)") });
        for (var attempt = 1; attempt <= 10 && await throttled.CountAsync() == 0; attempt++)
        {
            await SubmitPasswordAsync(page, $"wrong guess {attempt}");
            await Expect(page.NicknameError).Not.ToBeEmptyAsync();
        }

        await Expect(throttled).ToHaveCountAsync(1);
        await Expect(page.NicknameDialog).ToBeVisibleAsync();

        // Even the right password waits for the pause to end.
        await SubmitPasswordAsync(page, WebAccounts.Password);
        await Expect(throttled).ToHaveCountAsync(1);
        await Expect(page.NicknameDialog).ToBeVisibleAsync();
        await Expect(page.MeLabel).ToHaveTextAsync("Chatting as a guest");
    }

    /// <summary>Types a password and presses Enter; returns once the server answered and the form shows it.</summary>
    private static async Task SubmitPasswordAsync(ChatPage page, string password)
    {
        await page.PasswordInput.FillAsync(password);
        await page.Page.RunAndWaitForResponseAsync(() => page.PasswordInput.PressAsync("Enter"), "**/api/sessions");
        await Expect(page.Page.Locator("#nickname-form")).ToHaveAttributeAsync("aria-busy", "false");
    }

    [Fact]
    public async Task A_guest_cannot_take_a_registered_name_and_continues_under_another()
    {
        var username = Names.User("carol");
        await WebAccounts.CreateAsync(fixture.Address, username);
        await using var page = await ChatPage.LoadAsync(fixture.Browser, fixture.Address);

        await page.ChooseNicknameAsync(username);

        await Expect(page.DialogTitle).ToHaveTextAsync("Choose another nickname");
        await Expect(page.NicknameError).Not.ToBeEmptyAsync();
        var guest = Names.User("guest");
        await page.ChooseNicknameAsync(guest);
        await Expect(page.MyNickname).ToHaveTextAsync(guest);
        await Expect(page.MeLabel).ToHaveTextAsync("Chatting as a guest");
    }

    [Fact]
    public async Task An_expired_session_returns_to_the_sign_in_form_with_the_sentence()
    {
        var username = Names.User("dora");
        await using var page = await ChatPage.LoadAsync(fixture.Browser, fixture.Address);
        await StoreSessionAsync(page, "header.payload.signature", DateTimeOffset.UtcNow.AddMinutes(-1), username);

        await page.Page.ReloadAsync();

        await Expect(page.NicknameDialog).ToBeVisibleAsync();
        await Expect(page.DialogTitle).ToHaveTextAsync("Sign in again");
        await Expect(page.NicknameError).ToHaveTextAsync("Your session has expired. Sign in again.");
        await Expect(page.NameInput).ToHaveValueAsync(username);
        await Expect(page.PasswordInput).ToBeFocusedAsync();
        (await page.Page.EvaluateAsync<string?>($"() => sessionStorage.getItem('{SessionKey}')")).Should().BeNull("an expired token is dropped");
    }

    [Fact]
    public async Task A_forged_token_is_refused_at_the_handshake_and_the_page_asks_to_sign_in_again()
    {
        var username = Names.User("eve");
        await using var page = await ChatPage.LoadAsync(fixture.Browser, fixture.Address);
        const string forged = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiJldmUifQ.c2lnbmVkIGJ5IG5vYm9keQ";
        await StoreSessionAsync(page, forged, DateTimeOffset.UtcNow.AddDays(1), username);

        await page.Page.ReloadAsync();

        await Expect(page.DialogTitle).ToHaveTextAsync("Sign in again");
        await Expect(page.NicknameError).Not.ToBeEmptyAsync();
        await Expect(page.Banner).ToHaveAttributeAsync("data-state", "refused");
        await Expect(page.MeLabel).ToHaveTextAsync("Chatting as a guest");
        (await page.Page.EvaluateAsync<string?>($"() => sessionStorage.getItem('{SessionKey}')")).Should().BeNull("a refused token is dropped, not retried");
    }

    [Fact]
    public async Task Signing_out_returns_to_the_welcome_form_and_a_guest_continues_as_before()
    {
        var username = Names.User("fred");
        await using var page = await ChatPage.SignInAsync(fixture.Browser, fixture.Address, username, WebAccounts.Password, create: true);

        await page.Page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();

        await Expect(page.NicknameDialog).ToBeVisibleAsync();
        await Expect(page.DialogTitle).ToHaveTextAsync("Welcome to SignalRChat");
        var guest = Names.User("guest");
        await page.ChooseNicknameAsync(guest);
        await Expect(page.MyNickname).ToHaveTextAsync(guest);
        await Expect(page.MeLabel).ToHaveTextAsync("Chatting as a guest");

        // A guest from an earlier visit goes on as a guest after a reload, without being asked.
        await page.Page.ReloadAsync();
        await Expect(page.MyNickname).ToHaveTextAsync(guest);
        await Expect(page.NicknameDialog).Not.ToBeVisibleAsync();
    }

    [Fact]
    public async Task The_admin_screen_sends_the_chat_pages_access_token()
    {
        await using var page = await ChatPage.LoadAsync(fixture.Browser, fixture.Address);
        await StoreSessionAsync(page, "kept.signed.token", DateTimeOffset.UtcNow.AddDays(1), Names.User("admin"), persistent: true);
        var authorization = new TaskCompletionSource<string?>(TaskCreationOptions.RunContinuationsAsynchronously);
        await page.Context.RouteAsync("**/admin/api/overview", async route =>
        {
            authorization.TrySetResult(route.Request.Headers.TryGetValue("authorization", out var value) ? value : null);
            await route.ContinueAsync();
        });

        var admin = await page.Context.NewPageAsync();
        await admin.GotoAsync("/admin");

        (await authorization.Task.WaitAsync(TimeSpan.FromSeconds(15))).Should().Be("Bearer kept.signed.token");
        await admin.CloseAsync();
    }

    /// <summary>Puts a session where the page keeps one, as a sign-in on an earlier visit would have.</summary>
    private static Task StoreSessionAsync(ChatPage page, string token, DateTimeOffset expiresAt, string username, bool persistent = false) =>
        page.Page.EvaluateAsync(
            "([key, session, persistent]) => (persistent ? localStorage : sessionStorage).setItem(key, JSON.stringify(session))",
            new object[] { SessionKey, new { accessToken = token, expiresAt = expiresAt.ToString("O"), username, persistent }, persistent });
}
