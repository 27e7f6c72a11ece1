/**
 * Reads what was typed in the message box: plain text for the active room, or one of the console
 * client's slash commands. `//text` sends "/text" as a message.
 */
export const commandNames = ['join', 'leave', 'switch', 'nick', 'msg', 'who', 'list', 'rooms', 'history', 'help', 'quit'];

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

/** The usage line when a command is missing what it needs, or null when it has enough. */
export function missingArgument(command) {
  switch (command.name) {
    case 'join':
    case 'switch':
      return command.args.length === 0 ? `Usage: /${command.name} <room>` : null;
    case 'nick':
      return command.args.length === 0 ? 'Usage: /nick <name>' : null;
    case 'msg':
      return command.args.length < 2 ? 'Usage: /msg <nick> <text>' : null;
    case 'history':
      return command.args.length > 0 && !/^\d+$/.test(command.args[0]) ? 'Usage: /history [n]' : null;
    default:
      return null;
  }
}
