namespace Chat.Bench.Load;

/// <summary>
/// Who is where: user <c>i</c> is in room <c>i % Rooms</c>; the first <see cref="SendersPerRoom"/>
/// users of each room send, so sender <c>g</c> is user <c>g</c>, in room <c>g % Rooms</c>, and is that
/// room's sender number <c>g / Rooms</c>.
/// </summary>
public sealed record RoomLayout(int Users, int Rooms, int SendersPerRoom)
{
    public int Senders => Rooms * SendersPerRoom;

    public static string RoomName(int room) => $"r{room}";

    public int RoomOf(int user) => user % Rooms;

    public int MembersOf(int room) => (Users / Rooms) + (room < Users % Rooms ? 1 : 0);

    /// <summary>The sender's number within its room.</summary>
    public int SlotOf(int sender) => sender / Rooms;

    public int SenderAt(int room, int slot) => (slot * Rooms) + room;

    /// <summary>Why the layout cannot work, or null.</summary>
    public string? Problem() =>
        Users < 1 || Rooms < 1 ? "Need at least one user and one room."
        : Rooms > Users ? "More rooms than users."
        : SendersPerRoom < 0 || SendersPerRoom > Users / Rooms ? $"Senders per room must be between 0 and {Users / Rooms} (the smallest room)."
        : null;
}
