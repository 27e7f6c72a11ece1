namespace Chat.Server.Admin;

/// <summary>
/// One connect, disconnect, flood or stall as the admin screen lists it: who and when, never what
/// they wrote.
/// </summary>
/// <param name="Kind">connect, disconnect, flood or stall.</param>
/// <param name="Detail">Why a connection ended, or what it kept calling.</param>
public sealed record ActivityEntry(DateTimeOffset At, string Kind, string ConnectionId, string? Nickname, string? Detail);
