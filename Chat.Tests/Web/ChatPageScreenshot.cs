using Chat.Tests.Infrastructure;
using static Microsoft.Playwright.Assertions;

namespace Chat.Tests.Web;

/// <summary>
/// Two people chatting, as the README shows it: Alice is signed in and owns #general, which has a topic.
/// The picture goes to the test output folder; with <c>SIGNALRCHAT_UPDATE_SCREENSHOTS=1</c> it also
/// replaces docs/screenshots/chat.png. This class has its own server so the rooms can have plain names.
/// </summary>
public sealed class ChatPageScreenshot(ChatPageFixture fixture) : IClassFixture<ChatPageFixture>
{
    [Fact]
    public async Task Two_users_chatting_look_like_a_chat_app()
    {
        // Alice is signed in and created #general, so she owns it and its topic is hers to set.
        await WebAccounts.CreateAsync(fixture.Address, "alice");
        await using var alice = await ChatPage.SignInAsync(fixture.Browser, fixture.Address, "alice", WebAccounts.Password, room: "general");
        await alice.SendAsync("/topic Standup at 9:30 · deploys on Thursdays");
        await Expect(alice.RoomTopic).ToHaveTextAsync("Standup at 9:30 · deploys on Thursdays");

        await using var others = await TestClient.ConnectAsync(fixture.Address, "carol");
        await others.Client.JoinAsync("general");
        await others.Client.JoinAsync("random");
        await using var dave = await TestClient.ConnectAsync(fixture.Address, "dave");
        await dave.Client.JoinAsync("dotnet");
        await dave.Client.JoinAsync("general");
        await others.Client.SendAsync("general", "Morning all! Standup notes are in the wiki.");

        await Expect(alice.MessagesWithText("Morning all! Standup notes are in the wiki.")).ToHaveCountAsync(1);
        await alice.SendAsync("/join random");
        await Expect(alice.RoomTitle).ToHaveTextAsync("#random");
        await alice.SendAsync("/switch general");
        await Expect(alice.RoomTitle).ToHaveTextAsync("#general");
        await others.Client.SendAsync("random", "Anyone up for lunch at noon?");
        await others.Client.SendAsync("random", "The usual place?");
        await Expect(alice.OpenRoom("random").Locator(".badge")).ToHaveTextAsync("2 unread");
        await using var bob = await ChatPage.OpenAsync(fixture.Browser, fixture.Address, "bob", "general");
        await alice.SendAsync("Hi Bob! Did the deploy go out?");
        await Expect(bob.MessagesWithText("Hi Bob! Did the deploy go out?")).ToHaveCountAsync(1);
        await bob.SendAsync("It did, about ten minutes ago. The new chat page is live.");
        await bob.SendAsync("Reconnects now fill the gap by seq, so nothing is missed or doubled.");
        await Expect(alice.MessagesWithText("Reconnects now fill the gap by seq, so nothing is missed or doubled.")).ToHaveCountAsync(1);
        await alice.SendAsync("Great, I'll tell the others in #random.");
        await Expect(alice.MessagesWithText("Great, I'll tell the others in #random.")).ToHaveCountAsync(1);
        await dave.Client.TypingAsync("general");
        await Expect(alice.Typing).ToHaveTextAsync("dave is typing…");
        await Expect(alice.LobbyRoom("general").Locator(".count")).ToHaveTextAsync("4 members");
        await Expect(alice.RoomTitle).ToHaveTextAsync("#general");
        await Expect(alice.Member("alice").Locator(".role")).ToHaveTextAsync("owner");
        await Expect(alice.Outbox).ToHaveCountAsync(0);
        await alice.MessageBox.FocusAsync();
        await alice.MessageBox.BlurAsync();

        var png = await Screenshots.SaveAsync(alice.Page, "chat.png");

        png.Length.Should().BeGreaterThan(10_000);
    }
}
