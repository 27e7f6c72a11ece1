namespace Chat.Protocol.Commands;

/// <summary>
/// One line the user typed, understood: the slash-command language every client and door shares. The
/// variants are a closed set each interpreter switches over, so they live together here rather than one
/// per file.
/// </summary>
public abstract record ChatCommand;

/// <summary>Plain text for the active room.</summary>
public sealed record SayCommand(string Text) : ChatCommand;

/// <summary><c>/join &lt;room&gt; [key]</c></summary>
public sealed record JoinCommand(string Room, string? Key = null) : ChatCommand;

/// <summary><c>/leave [room]</c>; no room means every room.</summary>
public sealed record LeaveCommand(string? Room) : ChatCommand;

/// <summary><c>/list</c>: every room on the server.</summary>
public sealed record ListCommand : ChatCommand;

/// <summary><c>/rooms</c>: the rooms this user is in.</summary>
public sealed record RoomsCommand : ChatCommand;

/// <summary><c>/who [room]</c>; no room means the active room.</summary>
public sealed record WhoCommand(string? Room) : ChatCommand;

/// <summary><c>/switch &lt;room&gt;</c>: makes a joined room the active one.</summary>
public sealed record SwitchCommand(string Room) : ChatCommand;

/// <summary><c>/nick &lt;name&gt;</c></summary>
public sealed record NickCommand(string Nickname) : ChatCommand;

/// <summary><c>/msg &lt;nick&gt; &lt;text&gt;</c>: a private message.</summary>
public sealed record SendDirectCommand(string Nickname, string Text) : ChatCommand;

/// <summary><c>/history [n]</c>: up to n messages older than the ones already shown.</summary>
public sealed record HistoryCommand(int Count) : ChatCommand;

/// <summary><c>/help [command]</c></summary>
public sealed record HelpCommand(string? Command) : ChatCommand;

/// <summary><c>/quit</c> or <c>/exit</c></summary>
public sealed record QuitCommand : ChatCommand;

/// <summary><c>/topic [text]</c>: sets the active room's topic; no text clears it.</summary>
public sealed record TopicCommand(string Text) : ChatCommand;

/// <summary><c>/kick &lt;nick&gt; [reason]</c> in the active room.</summary>
public sealed record KickCommand(string Nickname, string? Reason) : ChatCommand;

/// <summary>
/// <c>/ban</c>, <c>/unban</c>, <c>/op</c>, <c>/deop</c>, <c>/voice</c>, <c>/devoice</c> and <c>/invite</c> with a
/// nickname, in the active room: <see cref="Action"/> is the command's name without the slash
/// (<see cref="RoomActions"/>, or <c>invite</c>).
/// </summary>
public sealed record RoleCommand(string Action, string Nickname) : ChatCommand;

/// <summary><c>/mode &lt;+i|-i|+k key|-k|+m|-m&gt;</c> in the active room.</summary>
public sealed record ModeCommand(string Mode, string? Key) : ChatCommand;

/// <summary>A slash command nobody knows; nothing is sent.</summary>
public sealed record UnknownCommand(string Name) : ChatCommand;

/// <summary>A known command with arguments it cannot take; <see cref="Problem"/> is a sentence for the user.</summary>
public sealed record InvalidCommand(string Command, string Problem) : ChatCommand;
