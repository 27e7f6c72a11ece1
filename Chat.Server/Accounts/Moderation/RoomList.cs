namespace Chat.Server.Accounts.Moderation;

/// <summary>The per-room lists of people a registration keeps, each entry naming a SignalR user id.</summary>
public enum RoomList
{
    /// <summary>Operators besides the owner (accounts only).</summary>
    Operator,

    /// <summary>May speak while the room is moderated (+m).</summary>
    Voiced,

    /// <summary>May neither join nor send.</summary>
    Banned,

    /// <summary>Admitted once to an invite-only room (+i); the entry is used up by the join.</summary>
    Invited,
}
