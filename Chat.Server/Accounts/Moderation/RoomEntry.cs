namespace Chat.Server.Accounts.Moderation;

/// <summary>One person on one of a room's lists.</summary>
/// <param name="Subject">The SignalR user id: <c>a:&lt;key&gt;</c> for an account (<see cref="ChatUser.UserIdOf"/>), <c>u:&lt;hash&gt;</c> for a guest's client key.</param>
/// <param name="Name">The name they had when added, for lists and for <c>/unban</c> by name.</param>
public sealed record RoomEntry(RoomList List, string Subject, string Name);
