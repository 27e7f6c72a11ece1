using Chat.Protocol;

namespace Chat.Server.Doors.Internal;

/// <summary>How the line doors say a room's change and an invitation in a sentence, to everybody or to the user it was done to.</summary>
internal static class RoomEventText
{
    public static string Of(RoomEvent change, string nickname)
    {
        var room = change.Room;
        var by = change.By;
        var target = change.Target;
        var you = change.Removes(nickname);
        return change.Action switch
        {
            RoomActions.Topic => change.Detail is null ? $"{by} cleared the topic of {room}." : $"{by} set the topic of {room}: {change.Detail}",
            RoomActions.Mode => $"{by} set mode {change.Detail} on {room}.",
            RoomActions.Op => $"{by} made {target} an operator of {room}.",
            RoomActions.Deop => $"{by} took operator rights in {room} from {target}.",
            RoomActions.Voice => $"{by} gave {target} a voice in {room}.",
            RoomActions.Devoice => $"{by} took the voice in {room} from {target}.",
            RoomActions.Kick when you => $"{by} kicked you from {room}{Reason(change.Detail)}",
            RoomActions.Kick => $"{by} kicked {target} from {room}{Reason(change.Detail)}",
            RoomActions.Ban when you => $"{by} banned you from {room}.",
            RoomActions.Ban => $"{by} banned {target} from {room}.",
            RoomActions.Unban => $"{by} lifted the ban on {target} in {room}.",
            _ => $"{by} changed {room}.",
        };
    }

    public static string Of(RoomInvitation invitation) =>
        $"{invitation.By} invited you to {invitation.Room}. Join with /join {invitation.Room}.";

    /// <summary>The line after "Joined room": the topic, when the room has one.</summary>
    public static string? TopicOnJoin(RoomSnapshot snapshot) =>
        snapshot.Info?.Topic is { } topic ? $"Topic of {snapshot.Room}: {topic}" : null;

    private static string Reason(string? reason) => reason is null ? "." : $": {reason}";
}
