import { canonicalRoom } from './chat-room.js';
import { ChatError } from './chat-connection.js';
import { joinArguments, kickArguments, missingArgument, modeArguments, parseInput, roleCommands } from './commands.js';
import { client } from './page-client.js';
import { state, ui } from './page-state.js';
import { errorText, plural } from './page-text.js';
import { activateRoom, activePane, joinRoom, loadOlder, paneFor } from './room-panes.js';

/** The message box: a message goes to the active room, a slash command runs here. */

export async function submitComposer() {
  const value = ui.input.value;
  if (value.trim() === '') {
    return;
  }

  const input = parseInput(value);
  ui.input.value = '';
  if (input.kind === 'message') {
    if (state.active === null) {
      activePane().appendNotice('Join a room first: pick one on the left, or type /join and a room name.', { kind: 'error' });
      ui.input.value = value;
      return;
    }

    client.send(state.active, input.text);
    return;
  }

  if (input.kind === 'unknown') {
    activePane().appendNotice(`Unknown command /${input.name}. Type /help to see the commands.`, { kind: 'error' });
    ui.input.value = value;
    return;
  }

  const usage = missingArgument(input);
  if (usage !== null) {
    activePane().appendNotice(usage, { kind: 'error' });
    ui.input.value = value;
    return;
  }

  try {
    await runCommand(input);
  } catch (error) {
    activePane().appendNotice(errorText(error), { kind: 'error' });
  }
}

function requireActiveRoom(usage) {
  if (state.active === null) {
    throw new ChatError(`${usage}: open a room first, or name one.`);
  }

  return state.active;
}

async function runCommand({ name, args, rest }) {
  switch (name) {
    case 'join': {
      const { room, key } = joinArguments(args);
      await joinRoom(room, { key });
      break;
    }
    case 'topic': {
      const room = requireActiveRoom('/topic [text]');
      await client.moderation.setTopic(room, rest);
      break;
    }
    case 'kick': {
      const room = requireActiveRoom('/kick <nick> [reason]');
      const { nickname, reason } = kickArguments(rest);
      await client.moderation.kick(room, nickname, reason);
      break;
    }
    case 'mode': {
      const room = requireActiveRoom('/mode <+i|-i|+k key|-k|+m|-m>');
      const { mode, key } = modeArguments(args);
      await client.moderation.setMode(room, mode, key);
      break;
    }
    case 'leave':
      if (args.length > 0) {
        const room = canonicalRoom(args[0]);
        await client.leave(args[0]);
        activePane().appendNotice(`You left #${room}.`);
      } else {
        await client.leaveAll();
        activePane().appendNotice('You left every room.');
      }

      break;
    case 'quit':
      await client.leaveAll();
      activePane().appendNotice('You left every room. Join one again with /join, or close the page.');
      break;
    case 'switch': {
      const room = canonicalRoom(args[0]);
      if (!client.room(room)) {
        throw new ChatError(`You are not in room ${room}. Join it first with /join ${room}.`);
      }

      activateRoom(room, { focus: true });
      break;
    }
    case 'nick': {
      const before = client.nickname;
      const nickname = await client.setNickname(args[0]);
      if (nickname === before) {
        activePane().appendNotice(`You are already ${nickname}.`);
      }

      break;
    }
    case 'msg': {
      const [, target, text] = /^(\S+)\s+([\s\S]+)$/.exec(rest);
      await client.sendDirect(target, text);
      break;
    }
    case 'who': {
      const summary = await client.who(args[0] ?? requireActiveRoom('/who [room]'));
      activePane().appendNotice(
        summary.userCount === 0 ? `Nobody is in #${summary.name}.` : `${plural(summary.userCount, 'person', 'people')} in #${summary.name}:`,
        { items: summary.users });
      break;
    }
    case 'list': {
      const rooms = await client.listRooms();
      activePane().appendNotice(
        rooms.length === 0 ? 'No rooms yet. Create one with /join and a name.' : `${plural(rooms.length, 'room')}:`,
        { items: rooms.map(room => `#${room.name} (${room.userCount}): ${room.users.join(', ')}`) });
      break;
    }
    case 'rooms': {
      const rooms = await client.myRooms();
      activePane().appendNotice(
        rooms.length === 0 ? 'You are not in any room.' : `You are in ${plural(rooms.length, 'room')}:`,
        { items: rooms.map(room => `#${room.name} (${room.userCount}): ${room.users.join(', ')}`) });
      break;
    }
    case 'history': {
      const room = requireActiveRoom('/history [n]');
      const limit = Math.min(Math.max(Number(args[0] ?? 20), 1), 200);
      const loaded = await loadOlder(paneFor(room), limit);
      if (loaded === null) {
        break;
      }

      if (loaded === 0) {
        activePane().appendNotice(`No older messages in #${room}.`);
      } else {
        activePane().appendNotice(`Loaded ${plural(loaded, 'older message')} above.`);
      }

      break;
    }
    case 'help': {
      const commands = await client.help();
      activePane().appendNotice('Commands:', {
        items: [
          ...commands.map(command => `${command.usage} — ${command.description}`),
          'Enter sends, Shift+Enter starts a new line, //text sends text that begins with /.',
          'Alt+↑ and Alt+↓ switch between your rooms.',
        ],
      });
      break;
    }
    default:
      if (roleCommands.includes(name)) {
        const room = requireActiveRoom(`/${name} <nick>`);
        await client.moderation.role(name, room, args[0]);
        if (name === 'invite') {
          // The invited user is told; the room sees nothing, so the operator is told here.
          activePane().appendNotice(`You invited ${args[0]} to #${room}.`);
        }
      }

      break;
  }
}
