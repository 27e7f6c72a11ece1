using Microsoft.AspNetCore.SignalR;

namespace Chat.Server.Accounts.Moderation.Internal;

/// <summary>Every sentence moderation refuses with (docs/protocol.md, "Rooms people own"); rooms in the <c>#room</c> form.</summary>
internal static class Refusals
{
    public const int MaxTopicLength = 300;
    public const int MaxReasonLength = 300;
    public const int MaxKeyLength = 32;

    public static HubException NotOperator(string room, string verb) => new($"Only operators of #{room} can {verb}.");

    public static HubException Banned(string room) => new($"You are banned from #{room}.");

    public static HubException InviteOnly(string room) => new($"#{room} is invite-only. Ask an operator for an invite.");

    public static HubException NeedsKey(string room) => new($"#{room} needs a key: /join {room} <key>.");

    public static HubException WrongKey(string room) => new($"That key does not open #{room}.");

    public static HubException Moderated(string room) => new($"#{room} is moderated: only operators and voiced users can speak.");

    public static HubException GuestOperator(string nickname) => new($"Only signed-in users can be operators; {nickname} is a guest.");

    public static HubException OwnerStays(string owner, string room) => new($"{owner} owns #{room}; the owner stays an operator.");

    public static HubException OwnerProtected(string owner, string room, string verb) => new($"{owner} owns #{room} and cannot be {verb}.");

    public static HubException AdministratorProtected(string nickname, string verb) => new($"{nickname} is a server administrator and cannot be {verb}.");

    public static HubException NotInRoom(string nickname, string room) => new($"Nobody called {nickname} is in #{room}.");

    public static HubException NotConnected(string nickname) => new($"Nobody called {nickname} is connected.");

    public static HubException NotBanned(string nickname, string room) => new($"{nickname} is not banned from #{room}.");

    public static HubException NotAnOperator(string nickname, string room) => new($"{nickname} is not an operator of #{room}.");

    public static HubException NotVoiced(string nickname, string room) => new($"{nickname} has no voice in #{room}.");

    public static HubException InviteBanned(string nickname, string room) => new($"{nickname} is banned from #{room}; unban them first.");

    public static HubException TopicTooLong() => new($"A topic may be at most {MaxTopicLength} characters.");

    public static HubException TopicLines() => new("A topic is one line of text.");

    public static HubException ReasonTooLong() => new($"A reason may be at most {MaxReasonLength} characters.");

    public static HubException KeyRule() => new($"A room key is 1-{MaxKeyLength} characters without spaces.");

    public static HubException KeyMissing() => new("+k needs the key: /mode +k <key>.");

    public static HubException UnknownMode() => new("Modes are +i, -i, +k <key>, -k, +m and -m.");
}
