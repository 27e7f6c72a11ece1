using System.Text.RegularExpressions;
using Microsoft.Playwright;
using static Microsoft.Playwright.Assertions;

namespace Chat.Tests.Web;

/// <summary>One user's chat page in its own browser context, with the parts a test looks at and the things a user does.</summary>
public sealed class ChatPage : IAsyncDisposable
{
    public static readonly ViewportSize Desktop = new() { Width = 1280, Height = 800 };

    public static readonly ViewportSize Phone = new() { Width = 390, Height = 844 };

    private readonly IBrowserContext _context;
    private readonly List<string> _dialogs = [];
    private readonly List<string> _consoleErrors = [];

    private ChatPage(IBrowserContext context, IPage page)
    {
        _context = context;
        Page = page;
        page.Dialog += (_, dialog) =>
        {
            lock (_dialogs)
            {
                _dialogs.Add($"{dialog.Type}: {dialog.Message}");
            }

            _ = dialog.DismissAsync();
        };
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                lock (_consoleErrors)
                {
                    _consoleErrors.Add(message.Text);
                }
            }
        };
        page.PageError += (_, error) =>
        {
            lock (_consoleErrors)
            {
                _consoleErrors.Add(error);
            }
        };
    }

    public IPage Page { get; }

    /// <summary>alert/confirm/prompt dialogs the page opened (each dismissed at once).</summary>
    public IReadOnlyList<string> Dialogs
    {
        get
        {
            lock (_dialogs)
            {
                return [.. _dialogs];
            }
        }
    }

    /// <summary>Errors in the browser console and uncaught script errors.</summary>
    public IReadOnlyList<string> ConsoleErrors
    {
        get
        {
            lock (_consoleErrors)
            {
                return [.. _consoleErrors];
            }
        }
    }

    public ILocator Banner => Page.Locator("#banner");

    public ILocator BannerText => Page.Locator("#banner-text");

    public ILocator RoomTitle => Page.Locator("#room-title");

    public ILocator MyNickname => Page.Locator("#my-nickname");

    public ILocator MessageBox => Page.Locator("#message-input");

    public ILocator NicknameDialog => Page.Locator("#nickname-dialog");

    public ILocator NicknameError => Page.Locator("#nickname-error");

    /// <summary>The welcome dialog's title: "Welcome to SignalRChat", "Sign in again", ...</summary>
    public ILocator DialogTitle => Page.Locator("#nickname-title");

    public ILocator NameInput => Page.Locator("#nickname-input");

    public ILocator PasswordInput => Page.Locator("#password-input");

    /// <summary>"Signed in as" or "Chatting as a guest", beside the nickname in the sidebar.</summary>
    public ILocator MeLabel => Page.Locator("#me-label");

    public ILocator RoomTopic => Page.Locator("#room-topic");

    public ILocator RoomSubtitle => Page.Locator("#room-subtitle");

    public ILocator RoomSettingsButton => Page.GetByRole(AriaRole.Button, new PageGetByRoleOptions { Name = "Room settings" });

    public ILocator SettingsDialog => Page.Locator("#settings-dialog");

    public ILocator MemberDialog => Page.Locator("#member-dialog");

    /// <summary>The member list's row of one member.</summary>
    public ILocator Member(string nickname) => Page.Locator($"#member-list li[data-nickname='{nickname}']");

    public ILocator Members => Page.Locator("#member-list li");

    public ILocator OpenRooms => Page.Locator("#open-rooms li");

    public ILocator Typing => Page.Locator("#typing");

    /// <summary>The pane on screen (the active room's, or the home pane).</summary>
    public ILocator ActivePane => Page.Locator(".pane:not([hidden])");

    /// <summary>Room messages in the active pane, oldest first (sends still waiting are not among them).</summary>
    public ILocator Messages => ActivePane.Locator("ol.messages > li.message:not(.direct)");

    public ILocator Notices => ActivePane.Locator("ol.messages > li.notice");

    public ILocator Outbox => ActivePane.Locator("ul.outbox > li");

    public ILocator MessagesIn(string room) => Page.Locator($".pane[data-room='{room}'] ol.messages > li.message");

    /// <summary>Room messages in the active pane whose text is exactly <paramref name="text"/>.</summary>
    public ILocator MessagesWithText(string text) =>
        Messages.Filter(new LocatorFilterOptions { Has = Page.Locator(".text", new PageLocatorOptions { HasTextRegex = new Regex($"^{Regex.Escape(text)}$") }) });

    public ILocator LobbyRoom(string room) => Page.Locator($"#lobby li[data-room='{room}']");

    public ILocator OpenRoom(string room) => Page.Locator($"#open-rooms li[data-room='{room}']");

    /// <summary>
    /// Opens the page (with <c>?room=</c> when a room is given) and stops at the nickname question.
    /// <paramref name="prepare"/> runs on the new browser context before the page loads (a fake clock, say).
    /// </summary>
    public static async Task<ChatPage> LoadAsync(
        IBrowser browser, Uri server, string? room = null, ViewportSize? viewport = null, ConnectionGate? gate = null, Func<IBrowserContext, Task>? prepare = null)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = server.ToString(),
            ViewportSize = viewport ?? Desktop,
            Locale = "en-GB",
            TimezoneId = "UTC",
        });
        context.SetDefaultTimeout(15_000);
        if (gate is not null)
        {
            await gate.AttachAsync(context);
        }

        if (prepare is not null)
        {
            await prepare(context);
        }

        var page = new ChatPage(context, await context.NewPageAsync());
        await page.Page.GotoAsync(room is null ? "/" : $"/?room={Uri.EscapeDataString(room)}");
        return page;
    }

    /// <summary>Opens the page, answers the nickname question and waits until the page is connected (and in the room, if given).</summary>
    public static async Task<ChatPage> OpenAsync(
        IBrowser browser, Uri server, string nickname, string? room = null, ViewportSize? viewport = null, ConnectionGate? gate = null, Func<IBrowserContext, Task>? prepare = null)
    {
        var page = await LoadAsync(browser, server, room, viewport, gate, prepare);
        await page.ChooseNicknameAsync(nickname);
        await Expect(page.MyNickname).ToHaveTextAsync(nickname);
        if (room is not null)
        {
            await Expect(page.RoomTitle).ToHaveTextAsync($"#{room}");
            await Expect(page.Members.Filter(new LocatorFilterOptions { HasText = nickname })).ToHaveCountAsync(1);
        }

        return page;
    }

    /// <summary>Opens the page and signs in (or, with <paramref name="create"/>, creates the account first) through the welcome dialog.</summary>
    public static async Task<ChatPage> SignInAsync(
        IBrowser browser, Uri server, string username, string password, bool create = false, string? room = null)
    {
        var page = await LoadAsync(browser, server, room);
        await page.SignInWithDialogAsync(username, password, create);
        await Expect(page.MyNickname).ToHaveTextAsync(username);
        await Expect(page.MeLabel).ToHaveTextAsync("Signed in as");
        if (room is not null)
        {
            await Expect(page.RoomTitle).ToHaveTextAsync($"#{room}");
        }

        return page;
    }

    public async Task SignInWithDialogAsync(string username, string password, bool create = false)
    {
        await Expect(NicknameDialog).ToBeVisibleAsync();
        await NameInput.FillAsync(username);
        await PasswordInput.FillAsync(password);
        await NicknameDialog.GetByRole(AriaRole.Button, new LocatorGetByRoleOptions { Name = create ? "Create account" : "Sign in", Exact = true }).ClickAsync();
    }

    /// <summary>Joins (and so, signed in, creates and owns) a room through the sidebar's form.</summary>
    public async Task JoinAsync(string room)
    {
        await Page.Locator("#join-input").FillAsync(room);
        await Page.Locator("#join-input").PressAsync("Enter");
        await Expect(RoomTitle).ToHaveTextAsync($"#{room}");
    }

    public async Task ChooseNicknameAsync(string nickname)
    {
        await Expect(NicknameDialog).ToBeVisibleAsync();
        await Page.Locator("#nickname-input").FillAsync(nickname);
        await Page.Locator("#nickname-input").PressAsync("Enter");
    }

    /// <summary>Types into the message box and presses Enter, as a user sends a message or a command.</summary>
    public async Task SendAsync(string text)
    {
        await MessageBox.FillAsync(text);
        await MessageBox.PressAsync("Enter");
    }

    /// <summary>The browser context, for what a test does to the whole "device" (network off, say).</summary>
    public IBrowserContext Context => _context;

    public async ValueTask DisposeAsync() => await _context.CloseAsync();
}
