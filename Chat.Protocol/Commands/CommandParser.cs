namespace Chat.Protocol.Commands;

/// <summary>
/// Turns a typed line into a <see cref="ChatCommand"/>. It checks only the shape of the arguments;
/// names and text are the server's to judge, so every client reports the same rules in the same words.
/// </summary>
public static class CommandParser
{
    public const int DefaultHistoryCount = 20;

    /// <summary>The parsed line, or null when there is nothing to do (a blank line).</summary>
    public static ChatCommand? Parse(string line)
    {
        var trimmed = line.Trim();
        if (trimmed.Length == 0)
        {
            return null;
        }

        if (!trimmed.StartsWith('/'))
        {
            return new SayCommand(trimmed);
        }

        // "//text" sends "/text", as in IRC clients: the way to start a message with a slash.
        if (trimmed.StartsWith("//", StringComparison.Ordinal))
        {
            return new SayCommand(trimmed[1..]);
        }

        var nameEnd = IndexOfWhitespace(trimmed);
        var name = trimmed[..nameEnd].ToLowerInvariant();
        var rest = trimmed[nameEnd..].Trim();
        var arguments = rest.Length == 0 ? [] : rest.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);

        return name switch
        {
            "/join" => arguments.Length switch
            {
                1 => new JoinCommand(arguments[0]),
                2 => new JoinCommand(arguments[0], arguments[1]),
                0 => new InvalidCommand(name, "/join needs a room name."),
                _ => new InvalidCommand(name, "/join takes a room name and, for a room with a key, the key; neither has spaces."),
            },
            "/leave" => arguments.Length switch
            {
                0 => new LeaveCommand(null),
                1 => new LeaveCommand(arguments[0]),
                _ => new InvalidCommand(name, "/leave takes at most one room name."),
            },
            "/list" => NoArguments(new ListCommand()),
            "/rooms" => NoArguments(new RoomsCommand()),
            "/who" => arguments.Length switch
            {
                0 => new WhoCommand(null),
                1 => new WhoCommand(arguments[0]),
                _ => new InvalidCommand(name, "/who takes at most one room name."),
            },
            "/switch" => arguments.Length switch
            {
                1 => new SwitchCommand(arguments[0]),
                0 => new InvalidCommand(name, "/switch needs the name of a room you are in."),
                _ => new InvalidCommand(name, "/switch takes one room name; room names have no spaces."),
            },
            "/nick" => arguments.Length switch
            {
                1 => new NickCommand(arguments[0]),
                0 => new InvalidCommand(name, "/nick needs the new nickname."),
                _ => new InvalidCommand(name, "/nick takes one nickname; nicknames have no spaces."),
            },
            "/msg" => ParseDirect(rest),
            "/history" => arguments.Length switch
            {
                0 => new HistoryCommand(DefaultHistoryCount),
                1 when int.TryParse(arguments[0], out var count) && count is >= 1 and <= ChatEndpoints.MaxPageSize => new HistoryCommand(count),
                _ => new InvalidCommand(name, $"/history takes a number of messages from 1 to {ChatEndpoints.MaxPageSize}."),
            },
            "/help" => arguments.Length switch
            {
                0 => new HelpCommand(null),
                1 => new HelpCommand(arguments[0].StartsWith('/') ? arguments[0].ToLowerInvariant() : "/" + arguments[0].ToLowerInvariant()),
                _ => new InvalidCommand(name, "/help takes at most one command name."),
            },

            "/topic" => new TopicCommand(rest),
            "/kick" => ParseKick(rest),
            "/ban" or "/unban" or "/op" or "/deop" or "/voice" or "/devoice" or "/invite" => arguments.Length switch
            {
                1 => new RoleCommand(name[1..], arguments[0]),
                0 => new InvalidCommand(name, $"{name} needs a nickname."),
                _ => new InvalidCommand(name, $"{name} takes one nickname; nicknames have no spaces."),
            },
            "/mode" => ParseMode(arguments),

            // Whatever follows /quit is ignored: refusing to let someone leave over a stray word helps nobody.
            "/quit" or "/exit" => new QuitCommand(),
            _ => new UnknownCommand(name),
        };

        ChatCommand NoArguments(ChatCommand command) =>
            arguments.Length == 0 ? command : new InvalidCommand(name, $"{name} takes no arguments.");
    }

    private static ChatCommand ParseKick(string rest)
    {
        if (rest.Length == 0)
        {
            return new InvalidCommand("/kick", "/kick needs a nickname, and may give a reason after it.");
        }

        var nicknameEnd = IndexOfWhitespace(rest);
        var reason = rest[nicknameEnd..].Trim();
        return new KickCommand(rest[..nicknameEnd], reason.Length == 0 ? null : reason);
    }

    private static ChatCommand ParseMode(string[] arguments) => arguments switch
    {
        ["+k", var key] => new ModeCommand("+k", key),
        ["+k"] => new InvalidCommand("/mode", "/mode +k needs the key: /mode +k <key>."),
        [var mode] when mode is "+i" or "-i" or "-k" or "+m" or "-m" => new ModeCommand(mode, null),
        _ => new InvalidCommand("/mode", "/mode takes one of +i, -i, +k <key>, -k, +m or -m."),
    };

    private static ChatCommand ParseDirect(string rest)
    {
        if (rest.Length == 0)
        {
            return new InvalidCommand("/msg", "/msg needs a nickname and a message.");
        }

        var nicknameEnd = IndexOfWhitespace(rest);
        var text = rest[nicknameEnd..].Trim();
        return text.Length == 0
            ? new InvalidCommand("/msg", $"/msg needs a message after the nickname {rest[..nicknameEnd]}.")
            : new SendDirectCommand(rest[..nicknameEnd], text);
    }

    private static int IndexOfWhitespace(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (char.IsWhiteSpace(text[i]))
            {
                return i;
            }
        }

        return text.Length;
    }
}
