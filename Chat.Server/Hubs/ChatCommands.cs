using Chat.Protocol;

namespace Chat.Server.Hubs;

/// <summary>The slash commands every client offers; <c>Help()</c> returns this table so all clients agree.</summary>
public static class ChatCommands
{
    public static readonly IReadOnlyList<CommandHelp> All =
    [
        new("/join", "/join <room> [key]", "Join a room (it is created if nobody is in it; signed in, you own it) and see its latest messages. A room with a key needs it."),
        new("/leave", "/leave [room]", "Leave a room; with no room, leave every room."),
        new("/list", "/list", "List every room with its members."),
        new("/rooms", "/rooms", "List the rooms you are in."),
        new("/who", "/who [room]", "Show who is in a room (default: the active room)."),
        new("/switch", "/switch <room>", "Make a room you are in the active one: plain text goes there."),
        new("/nick", "/nick <name>", "Change your nickname."),
        new("/msg", "/msg <nick> <text>", "Send a private message to one user."),
        new("/history", "/history [n]", "Show up to n earlier messages of the active room (default 20)."),
        new("/topic", "/topic [text]", "Set the active room's topic; with no text, clear it. Operators only."),
        new("/kick", "/kick <nick> [reason]", "Take a user out of the active room, with a reason. Operators only."),
        new("/ban", "/ban <nick>", "Ban a user (their account, or a guest's key) from the active room. Operators only."),
        new("/unban", "/unban <nick>", "Lift a ban in the active room. Operators only."),
        new("/op", "/op <nick>", "Make a signed-in user an operator of the active room. Operators only."),
        new("/deop", "/deop <nick>", "Take operator rights away. Operators only."),
        new("/voice", "/voice <nick>", "Let a user speak in the active room while it is moderated (+m). Operators only."),
        new("/devoice", "/devoice <nick>", "Take voice away. Operators only."),
        new("/invite", "/invite <nick>", "Invite a connected user into the active room (needed while it is +i). Operators only."),
        new("/mode", "/mode <+i|-i|+k key|-k|+m|-m>", "Invite-only (i), a key to join (k), moderated (m): set with +, clear with -. Operators only."),
        new("/help", "/help", "Show this list."),
        new("/quit", "/quit", "Leave every room and exit."),
    ];
}
