namespace Chat.Protocol;

/// <summary>The values of <see cref="RoomEvent.Action"/>.</summary>
public static class RoomActions
{
    public const string Topic = "topic";
    public const string Mode = "mode";
    public const string Op = "op";
    public const string Deop = "deop";
    public const string Voice = "voice";
    public const string Devoice = "devoice";
    public const string Kick = "kick";
    public const string Ban = "ban";
    public const string Unban = "unban";
}
