namespace Chat.Protocol;

/// <summary>The names of the hub's methods, for clients that invoke them by name.</summary>
public static class HubMethods
{
    public const string Join = nameof(Join);
    public const string Leave = nameof(Leave);
    public const string LeaveAll = nameof(LeaveAll);
    public const string ListRooms = nameof(ListRooms);
    public const string MyRooms = nameof(MyRooms);
    public const string Who = nameof(Who);
    public const string Me = nameof(Me);
    public const string SendMessage = nameof(SendMessage);
    public const string SendDirect = nameof(SendDirect);
    public const string SetNickname = nameof(SetNickname);
    public const string Typing = nameof(Typing);
    public const string History = nameof(History);
    public const string MissedSince = nameof(MissedSince);
    public const string Help = nameof(Help);
    public const string WatchLobby = nameof(WatchLobby);
    public const string UnwatchLobby = nameof(UnwatchLobby);
}
