using System.Globalization;
using System.Text;
using Chat.Protocol;

namespace Chat.Client.Console.Rendering;

/// <summary>
/// Every line the console client shows, worded and styled in one place:
/// <c>12:01 [general] Alice: Hello everyone!</c>, <c>[SYSTEM] Joined room: general (3 users: Alice, Bob, Carol)</c>.
/// </summary>
internal sealed class ChatFormatter(TimeZoneInfo timeZone)
{
    private const string SystemTag = "[SYSTEM] ";

    // Continuation lines of a multi-line message start under the text, past "12:01 ".
    private const string ContinuationIndent = "      ";

    public StyledText Message(ChatMessage message, string? me)
    {
        var own = string.Equals(message.Sender, me, StringComparison.OrdinalIgnoreCase);
        return StyledText.Of(Time(message.SentAt), TextStyle.Time)
            .Append(" ")
            .Append($"[{message.Room}]", TextStyle.Room)
            .Append(" ")
            .Append(message.Sender, own ? TextStyle.OwnSender : TextStyle.Sender)
            .Append(": ")
            .Append(Printable(message.Text));
    }

    public StyledText Direct(DirectMessage message, string? me)
    {
        var fromMe = string.Equals(message.From, me, StringComparison.OrdinalIgnoreCase);
        var toMe = string.Equals(message.To, me, StringComparison.OrdinalIgnoreCase);
        return StyledText.Of(Time(message.SentAt), TextStyle.Time)
            .Append(" ")
            .Append("[private]", TextStyle.Private)
            .Append(" ")
            .Append(fromMe ? "you" : message.From, fromMe ? TextStyle.OwnSender : TextStyle.Sender)
            .Append(" → ", TextStyle.Private)
            .Append(toMe ? "you" : message.To, toMe ? TextStyle.OwnSender : TextStyle.Sender)
            .Append(": ")
            .Append(Printable(message.Text));
    }

    public StyledText Joined(RoomSnapshot snapshot) =>
        System($"Joined room: {snapshot.Room} ({Users(snapshot.Members, snapshot.Info)})");

    /// <summary>"[general] Topic: …" under the join line; null for a room without a topic.</summary>
    public StyledText? Topic(RoomSnapshot snapshot) =>
        snapshot.Info?.Topic is { Length: > 0 } topic
            ? StyledText.Of($"[{snapshot.Room}]", TextStyle.Room).Append(" Topic: ", TextStyle.System).Append(Printable(topic), TextStyle.System)
            : null;

    /// <summary>What an operator did to a room, as a system line; "you" when it was done to this user.</summary>
    public StyledText RoomChanged(RoomEvent change, string? me)
    {
        var room = "#" + change.Room;
        var by = change.By;
        var toMe = string.Equals(change.Target, me, StringComparison.OrdinalIgnoreCase);
        var target = toMe ? "you" : change.Target ?? "somebody";
        var reason = change.Detail is { Length: > 0 } detail ? $" ({detail})" : "";
        var text = change.Action switch
        {
            RoomActions.Topic when change.Detail is { Length: > 0 } topic => $"{by} set the topic of {room}: {topic}",
            RoomActions.Topic => $"{by} cleared the topic of {room}",
            RoomActions.Mode => ModeChanged(room, by, change.Detail),
            RoomActions.Op => $"{by} made {target} an operator of {room}",
            RoomActions.Deop => $"{by} took operator rights in {room} away from {target}",
            RoomActions.Voice => $"{by} gave {target} voice in {room}",
            RoomActions.Devoice => $"{by} took voice in {room} away from {target}",
            RoomActions.Kick => $"{(toMe ? "You were" : target + " was")} kicked from {room} by {by}{reason}",
            RoomActions.Ban => $"{(toMe ? "You were" : target + " was")} banned from {room} by {by}",
            RoomActions.Unban => $"{by} lifted the ban on {target} in {room}",
            _ => $"{by} changed {room} ({change.Action})",
        };
        return System(Printable(text));
    }

    public StyledText Invited(RoomInvitation invitation) =>
        System($"{invitation.By} invited you to #{invitation.Room}: /join {invitation.Room}");

    public StyledText UserJoined(RoomPresence presence) => System($"{presence.Nickname} joined {presence.Room}");

    public StyledText UserLeft(RoomPresence presence) => System($"{presence.Nickname} left {presence.Room}");

    public StyledText NicknameChanged(NicknameChange change, string? me) =>
        string.Equals(change.NewNickname, me, StringComparison.OrdinalIgnoreCase)
            ? System($"You are now known as {change.NewNickname}")
            : System($"{change.OldNickname} is now known as {change.NewNickname}");

    public StyledText Notice(ServerNotice notice) => StyledText.Of("[SERVER] ", TextStyle.System).Append(Printable(notice.Text), TextStyle.System);

    public StyledText RoomClosed(RoomClosure closure) => StyledText.Of("[SERVER] ", TextStyle.System).Append(Printable(closure.Text), TextStyle.System);

    public StyledText Connected(Uri server, string nickname, bool signedIn = false) =>
        System($"Connected to {server} as {nickname}{(signedIn ? ", signed in" : "")}. Type /help for commands, /quit to leave.");

    public StyledText NoActiveRoom() => System("You are not in a room yet. Join one with /join <room>, e.g. /join general.");

    public StyledText Reconnecting() => StyledText.Of("[reconnecting…]", TextStyle.Connection);

    public StyledText Reconnected(RecoveryReport report)
    {
        var missed = report.MissedMessages switch
        {
            0 => "no missed messages",
            1 => "1 missed message",
            var count => $"{count} missed messages",
        };
        var text = report.Rooms.Count == 0
            ? "[reconnected]"
            : $"[reconnected: rejoined {string.Join(", ", report.Rooms)}; {missed}]";
        return StyledText.Of(text, TextStyle.Connection);
    }

    public StyledText Queued(string text) =>
        StyledText.Of("[queued] ", TextStyle.Connection).Append(Printable(text)).Append(" (sent once reconnected)", TextStyle.Connection);

    public StyledText RetryCountdown(int seconds) => System($"Retrying in {seconds} s… (Ctrl+C to stop)");

    /// <summary>"Bob is typing…", or null when nobody is; a room other than the active one is named.</summary>
    public StyledText? Typing(IReadOnlyList<RoomPresence> typists, string? activeRoom)
    {
        if (typists.Count == 0)
        {
            return null;
        }

        var inOtherRooms = typists.Where(typist => typist.Room != activeRoom).Select(typist => typist.Room).Distinct().ToList();
        var where = inOtherRooms.Count == 0 ? "" : $" in {string.Join(", ", inOtherRooms)}";
        var names = typists.Select(typist => typist.Nickname).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
        var who = names.Count switch
        {
            1 => $"{names[0]} is",
            2 => $"{names[0]} and {names[1]} are",
            _ => $"{names.Count} people are",
        };
        return StyledText.Of($"{who} typing{where}…", TextStyle.Typing);
    }

    public StyledText Prompt(string? nickname, string? room) =>
        StyledText.Of(room is null ? $"{nickname}> " : $"{nickname}@{room}> ", TextStyle.Prompt);

    public static StyledText System(string text) => StyledText.Of(SystemTag + text, TextStyle.System);

    public static StyledText Error(string text) => StyledText.Of("[ERROR] " + text, TextStyle.Error);

    /// <summary>A list under a <see cref="System(string)"/> heading, indented.</summary>
    public static StyledText Item(string text) => StyledText.Of("  " + text, TextStyle.System);

    public static IEnumerable<StyledText> Help(IReadOnlyList<CommandHelp> commands)
    {
        yield return System("Commands:");
        var width = commands.Count == 0 ? 0 : commands.Max(command => command.Usage.Length);
        foreach (var command in commands)
        {
            yield return Item($"{command.Usage.PadRight(width)}  {command.Description}");
        }

        yield return Item("Plain text goes to the active room. Start a line with // to send text that begins with /.");
    }

    public static StyledText Room(RoomSummary room, bool active) =>
        Item($"{(active ? "* " : "")}{room.Name} ({Users(room.Users)}){(room.Topic is { Length: > 0 } topic ? " - " + Printable(topic) : "")}");

    /// <param name="settings">The room's settings when this user is in it: owner and operators are marked.</param>
    public static StyledText Who(RoomSummary room, RoomInfo? settings = null) =>
        room.UserCount == 0 ? System($"Nobody is in {room.Name}.") : System($"{room.Name} ({Users(room.Users, settings)})");

    /// <summary>"3 users: @alice (owner), @bob, +carol, dave": operators marked @ and voiced users + as in IRC.</summary>
    public static string Users(IReadOnlyList<string> users, RoomInfo? settings = null) =>
        $"{users.Count} {(users.Count == 1 ? "user" : "users")}: {string.Join(", ", users.Select(user => Marked(user, settings)))}";

    private static string Marked(string user, RoomInfo? settings)
    {
        if (settings is null)
        {
            return user;
        }

        if (string.Equals(settings.Owner, user, StringComparison.OrdinalIgnoreCase))
        {
            return $"@{user} (owner)";
        }

        if (settings.Operators.Contains(user, StringComparer.OrdinalIgnoreCase))
        {
            return "@" + user;
        }

        return settings.Voiced.Contains(user, StringComparer.OrdinalIgnoreCase) ? "+" + user : user;
    }

    private static string ModeChanged(string room, string by, string? mode) => mode switch
    {
        "+i" => $"{room} is now invite-only (set by {by})",
        "-i" => $"{room} is no longer invite-only (set by {by})",
        "+k" => $"{room} now needs a key to join (set by {by})",
        "-k" => $"{room} no longer needs a key (set by {by})",
        "+m" => $"{room} is now moderated: only operators and voiced users speak (set by {by})",
        "-m" => $"{room} is no longer moderated (set by {by})",
        _ => $"{by} set mode {mode} on {room}",
    };

    /// <summary>
    /// Text from other people cannot be trusted with the terminal: control characters (an escape
    /// sequence could move the cursor or retitle the window) become '?'; line breaks are kept, indented.
    /// </summary>
    public static string Printable(string text)
    {
        var builder = new StringBuilder(text.Length);
        foreach (var character in text)
        {
            switch (character)
            {
                case '\n':
                    builder.Append('\n').Append(ContinuationIndent);
                    break;
                case '\t':
                    builder.Append("    ");
                    break;
                case '\r':
                    break;
                default:
                    builder.Append(char.IsControl(character) ? '?' : character);
                    break;
            }
        }

        return builder.ToString();
    }

    private string Time(DateTimeOffset sentAt) => TimeZoneInfo.ConvertTime(sentAt, timeZone).ToString("HH:mm", CultureInfo.InvariantCulture);
}
