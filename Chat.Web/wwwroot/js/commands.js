/**
 * Reads what was typed in the message box: plain text for the active room, or one of the console
 * client's slash commands. `//text` sends "/text" as a message. The shapes and sentences follow the
 * console's parser (Chat.Protocol/Commands/CommandParser.cs), so every client words a rule the same.
 */
export const roleCommands = ['ban', 'unban', 'op', 'deop', 'voice', 'devoice', 'invite'];

export const modes = ['+i', '-i', '+k', '-k', '+m', '-m'];

export const commandNames = [
  'join', 'leave', 'switch', 'nick', 'msg', 'who', 'list', 'rooms', 'history', 'help', 'quit',
  'topic', 'kick', ...roleCommands, 'mode',
];

export function parseInput(input) {
  const text = input.trim();
  if (!text.startsWith('/')) {
    return { kind: 'message', text };
  }

  if (text.startsWith('//')) {
    return { kind: 'message', text: text.slice(1) };
  }

  const match = /^\/(\S+)\s*([\s\S]*)$/.exec(text);
  const name = match[1].toLowerCase();
  const rest = match[2].trim();
  const args = rest === '' ? [] : rest.split(/\s+/);
  if (!commandNames.includes(name)) {
    return { kind: 'unknown', name };
  }

  return { kind: 'command', name, args, rest };
}

/** The sentence when a command is missing what it needs (or has too much), or null when it is fine. */
export function missingArgument(command) {
  const { name, args } = command;
  switch (name) {
    case 'join':
      if (args.length === 0) {
        return 'Usage: /join <room> [key]';
      }

      return args.length > 2 ? '/join takes a room name and, for a room with a key, the key; neither has spaces.' : null;
    case 'switch':
      return args.length === 0 ? `Usage: /${name} <room>` : null;
    case 'nick':
      return args.length === 0 ? 'Usage: /nick <name>' : null;
    case 'msg':
      return args.length < 2 ? 'Usage: /msg <nick> <text>' : null;
    case 'history':
      return args.length > 0 && !/^\d+$/.test(args[0]) ? 'Usage: /history [n]' : null;
    case 'kick':
      return args.length === 0 ? '/kick needs a nickname, and may give a reason after it.' : null;
    case 'mode':
      if (args.length === 1 && args[0] === '+k') {
        return '/mode +k needs the key: /mode +k <key>.';
      }

      return (args.length === 2 && args[0] === '+k') || (args.length === 1 && modes.includes(args[0]) && args[0] !== '+k')
        ? null
        : '/mode takes one of +i, -i, +k <key>, -k, +m or -m.';
    default:
      if (roleCommands.includes(name)) {
        if (args.length === 0) {
          return `/${name} needs a nickname.`;
        }

        return args.length > 1 ? `/${name} takes one nickname; nicknames have no spaces.` : null;
      }

      return null;
  }
}

/** `/kick <nick> [reason]`: the nickname and the reason (null when none), the reason keeping its spaces. */
export function kickArguments(rest) {
  const [, nickname, reason] = /^(\S+)\s*([\s\S]*)$/.exec(rest);
  return { nickname, reason: reason.trim() === '' ? null : reason.trim() };
}

/** `/join <room> [key]`: the room and the key (null when none). */
export function joinArguments(args) {
  return { room: args[0], key: args[1] ?? null };
}

/** `/mode <+i|-i|+k key|-k|+m|-m>`: the mode and its key (null except for +k). */
export function modeArguments(args) {
  return { mode: args[0], key: args[0] === '+k' ? args[1] : null };
}
