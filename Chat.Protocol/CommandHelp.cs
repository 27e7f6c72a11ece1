namespace Chat.Protocol;

/// <summary>One line of <c>/help</c>: the command, its syntax and what it does.</summary>
public sealed record CommandHelp(string Command, string Usage, string Description);
