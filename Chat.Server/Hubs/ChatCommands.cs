using Chat.Protocol;

namespace Chat.Server.Hubs;

/// <summary>The slash commands every client offers; <c>Help()</c> returns this table so all clients agree.</summary>
public static class ChatCommands
{
    public static readonly IReadOnlyList<CommandHelp> All =
    [
        new("/join", "/join <room>", "Join a room (it is created if nobody is in it) and see its latest messages."),
        new("/leave", "/leave [room]", "Leave a room; with no room, leave every room."),
        new("/list", "/list", "List every room with its members."),
        new("/rooms", "/rooms", "List the rooms you are in."),
        new("/who", "/who [room]", "Show who is in a room (default: the active room)."),
        new("/switch", "/switch <room>", "Make a room you are in the active one: plain text goes there."),
        new("/nick", "/nick <name>", "Change your nickname."),
        new("/msg", "/msg <nick> <text>", "Send a private message to one user."),
        new("/history", "/history [n]", "Show up to n earlier messages of the active room (default 20)."),
        new("/help", "/help", "Show this list."),
        new("/quit", "/quit", "Leave every room and exit."),
    ];
}
