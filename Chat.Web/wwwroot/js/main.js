import { ChatClient, canonicalRoom, sameNickname } from './chat-client.js';
import { ChatError, OfflineError } from './chat-connection.js';
import { missingArgument, parseInput } from './commands.js';
import { identity } from './identity.js';
import { avatar, element } from './dom.js';
import { MessagePane } from './pane.js';

const typingShownMs = 4000;
const nicknamePattern = /^[\p{L}\p{N}_.-]{1,32}$/u;
const nicknameRule = 'Nicknames may use letters, digits, -, _ and . (1-32 characters, no spaces).';

const byId = id => document.getElementById(id);
const ui = {
  banner: byId('banner'),
  bannerText: byId('banner-text'),
  bannerCountdown: byId('banner-countdown'),
  bannerRetry: byId('banner-retry'),
  sidebar: byId('sidebar'),
  sidebarToggle: byId('sidebar-toggle'),
  members: byId('members'),
  membersToggle: byId('members-toggle'),
  scrim: byId('scrim'),
  roomTitle: byId('room-title'),
  roomSubtitle: byId('room-subtitle'),
  myNickname: byId('my-nickname'),
  changeNickname: byId('change-nickname'),
  joinForm: byId('join-form'),
  joinInput: byId('join-input'),
  joinError: byId('join-error'),
  openRooms: byId('open-rooms'),
  openRoomsEmpty: byId('open-rooms-empty'),
  lobby: byId('lobby'),
  lobbyEmpty: byId('lobby-empty'),
  panes: byId('panes'),
  typing: byId('typing'),
  composer: byId('composer'),
  input: byId('message-input'),
  memberList: byId('member-list'),
  membersHeading: byId('members-heading'),
  dialog: byId('nickname-dialog'),
  dialogForm: byId('nickname-form'),
  dialogTitle: byId('nickname-title'),
  dialogIntro: byId('nickname-intro'),
  dialogInput: byId('nickname-input'),
  dialogError: byId('nickname-error'),
  dialogAuto: byId('nickname-auto'),
  dialogCancel: byId('nickname-cancel'),
  dialogSubmit: byId('nickname-submit'),
};

const state = {
  active: null,
  panes: new Map(),
  home: null,
  unread: new Map(),
  typing: new Map(),
  lobby: [],
  pending: new Set(),
  connection: 'idle',
  detail: {},
  everConnected: false,
  problemShown: false,
  serverRestarting: false,
  initialRoomsOpened: false,
  dialogMode: null,
  deepLink: new URLSearchParams(location.search).get('room'),
};

function plural(count, one, many = `${one}s`) {
  return `${count} ${count === 1 ? one : many}`;
}

function errorText(error) {
  return error instanceof ChatError || error instanceof OfflineError
    ? error.message
    : 'Something went wrong. Try again.';
}

function isMe(nickname) {
  return client.nickname !== null && sameNickname(nickname, client.nickname);
}

// ---- the client and what it reports -------------------------------------------------------------

const client = new ChatClient(identity, {
  state: (connectionState, detail) => {
    state.connection = connectionState;
    state.detail = detail;
    if (connectionState === 'connected') {
      state.everConnected = true;
      state.serverRestarting = false;
      if (!state.initialRoomsOpened) {
        state.initialRoomsOpened = true;
        openInitialRooms();
      }
    }

    renderBanner();
  },
  refused: sentence => askNickname('refused', sentence),
  nickname: nickname => {
    ui.myNickname.textContent = nickname;
    renderMembers();
  },
  lobby: rooms => {
    state.lobby = rooms;
    renderLobby();
  },
  joined: (room, snapshot) => {
    const pane = paneFor(room);
    pane.setBusy(true);
    pane.setHistoryState(snapshot.lastSeq === 0 || snapshot.messages[0]?.seq <= 1 ? 'beginning' : 'more');
  },
  members: room => {
    if (room === state.active) {
      renderMembers();
    }
  },
  message: (room, message, source) => {
    const own = isMe(message.sender);
    const pane = paneFor(room);
    pane.appendMessage(message, { own, source });
    if (own) {
      // The server has it: leaving the page now loses nothing, so it no longer holds up an unload.
      state.pending.delete(pane.settleOutboxItem(message.clientMessageId));
    }

    stopTyping(room, message.sender);
    if (source !== 'snapshot' && !own && (room !== state.active || document.hidden)) {
      state.unread.set(room, (state.unread.get(room) ?? 0) + 1);
      renderOpenRooms();
      renderTitle();
    }
  },
  presence: (presence, joined) => {
    paneFor(presence.room).appendNotice(`${presence.nickname} ${joined ? 'joined' : 'left'} #${presence.room}`, { kind: 'presence' });
    if (!joined) {
      stopTyping(presence.room, presence.nickname);
    }
  },
  typing: presence => {
    const typers = state.typing.get(presence.room) ?? new Map();
    typers.set(presence.nickname, Date.now() + typingShownMs);
    state.typing.set(presence.room, typers);
    renderTyping();
    setTimeout(renderTyping, typingShownMs + 100);
  },
  renamed: (change, rooms) => {
    if (isMe(change.newNickname)) {
      activePane().appendNotice(`You are now known as ${change.newNickname}.`);
      return;
    }

    for (const room of rooms) {
      paneFor(room).appendNotice(`${change.oldNickname} is now known as ${change.newNickname}`, { kind: 'presence' });
      stopTyping(room, change.oldNickname);
    }
  },
  direct: (message, fromMe) => activePane().appendDirect(message, fromMe),
  notice: notice => {
    if (notice.kind === 'restarting') {
      state.serverRestarting = true;
    }

    activePane().appendNotice(notice.text, { kind: 'server' });
  },
  outbox: item => {
    const pane = state.panes.get(item.room);
    pane?.showOutboxItem(item);
    if (item.status === 'sent' || item.status === 'failed') {
      state.pending.delete(item.id);
    } else {
      state.pending.add(item.id);
    }

    if (item.status === 'failed') {
      (pane ?? activePane()).appendNotice(`Not sent: ${item.error}`, { kind: 'error' });
    }

    renderBanner();
  },
  left: room => {
    state.panes.get(room)?.element.remove();
    state.panes.delete(room);
    state.unread.delete(room);
    state.typing.delete(room);
    saveRooms();
    if (state.active === room) {
      activateRoom(client.rooms[0] ?? null);
    } else {
      renderOpenRooms();
      renderLobby();
    }
  },
  error: (room, sentence) => activePane().appendNotice(`#${room}: ${sentence}`, { kind: 'error' }),
});

// ---- rooms and panes ----------------------------------------------------------------------------

function paneFor(room) {
  let pane = state.panes.get(room);
  if (!pane) {
    pane = new MessagePane(room, { onLoadOlder: target => loadOlder(target) });
    state.panes.set(room, pane);
    ui.panes.append(pane.element);
  }

  return pane;
}

function activePane() {
  return state.active === null ? state.home : paneFor(state.active);
}

function saveRooms() {
  identity.rooms = client.rooms;
}

/** Joins a room and (by default) opens it; throws ChatError or OfflineError. */
async function joinRoom(name, { activate = true, announce = true } = {}) {
  const alreadyOpen = client.room(canonicalRoom(name)) !== undefined;
  const room = await client.join(name);
  const pane = paneFor(room);
  pane.setBusy(false);
  if (!alreadyOpen && announce) {
    pane.appendNotice(`You joined #${room}.`);
  }

  saveRooms();
  if (activate) {
    activateRoom(room, { focus: true });
  } else {
    renderOpenRooms();
    renderLobby();
  }

  return room;
}

/** On the first connection: the rooms open last time, then the ?room= deep link, which becomes active. */
async function openInitialRooms() {
  for (const room of identity.rooms) {
    try {
      await joinRoom(room, { activate: false, announce: false });
    } catch {
      // A room that cannot be joined any more is simply not reopened.
    }
  }

  let active = null;
  if (state.deepLink) {
    try {
      active = await joinRoom(state.deepLink, { activate: false });
    } catch (error) {
      state.home.appendNotice(`Could not open #${state.deepLink}: ${errorText(error)}`, { kind: 'error' });
    }
  } else if (identity.activeRoom && client.room(identity.activeRoom)) {
    active = identity.activeRoom;
  }

  saveRooms();
  activateRoom(active ?? client.rooms[0] ?? null, { focus: !ui.dialog.open });
}

function activateRoom(room, { focus = false } = {}) {
  state.active = room;
  state.home.hide();
  for (const pane of state.panes.values()) {
    pane.hide();
  }

  activePane().show();
  state.unread.delete(room);
  ui.roomTitle.textContent = room === null ? 'SignalRChat' : `#${room}`;
  ui.input.placeholder = room === null ? 'Type /join and a room name to start' : `Message #${room}`;
  if (state.initialRoomsOpened) {
    // Remembered for the next visit, and the address is a link to the room.
    identity.activeRoom = room;
    history.replaceState(null, '', room === null ? location.pathname : `?room=${encodeURIComponent(room)}`);
  }

  renderMembers();
  renderTyping();
  renderOpenRooms();
  renderLobby();
  renderTitle();
  closeDrawer();
  if (focus) {
    ui.input.focus();
  }
}

async function loadOlder(pane, limit = 50) {
  pane.setHistoryState('loading');
  try {
    const older = await client.loadOlder(pane.room, limit);
    pane.prependMessages(older, message => isMe(message.sender));
    pane.setHistoryState((client.room(pane.room)?.oldestSeq ?? 1) <= 1 ? 'beginning' : 'more');
    return older.length;
  } catch (error) {
    pane.setHistoryState('more');
    pane.appendNotice(errorText(error), { kind: 'error' });
    return null;
  }
}

function switchBy(step) {
  const rooms = client.rooms;
  if (rooms.length === 0) {
    return;
  }

  const index = rooms.indexOf(state.active);
  activateRoom(rooms[(index + step + rooms.length) % rooms.length], { focus: true });
}

// ---- rendering ----------------------------------------------------------------------------------

/** Re-renders a list without losing the keyboard focus on one of its buttons. */
function renderKeepingFocus(container, items) {
  const focused = container.contains(document.activeElement) ? document.activeElement : null;
  const key = focused ? `${focused.dataset.action}:${focused.dataset.room}` : null;
  container.replaceChildren(...items);
  if (key !== null) {
    const [action, room] = key.split(':');
    container.querySelector(`button[data-action="${action}"][data-room="${CSS.escape(room)}"]`)?.focus();
  }
}

function roomButton(room, action, label) {
  const button = element('button', 'room-link');
  button.type = 'button';
  button.dataset.action = action;
  button.dataset.room = room;
  button.append(element('span', 'room-name', label));
  return button;
}

function renderOpenRooms() {
  const items = client.rooms.map(room => {
    const item = element('li', 'room-item');
    item.dataset.room = room;
    const button = roomButton(room, 'switch', `#${room}`);
    if (room === state.active) {
      button.setAttribute('aria-current', 'true');
    }

    const unread = state.unread.get(room) ?? 0;
    if (unread > 0) {
      const badge = element('span', 'badge', String(unread));
      badge.append(element('span', 'visually-hidden', ' unread'));
      button.append(badge);
    }

    const leave = element('button', 'leave-room', '×');
    leave.type = 'button';
    leave.dataset.action = 'leave';
    leave.dataset.room = room;
    leave.setAttribute('aria-label', `Leave #${room}`);
    leave.title = `Leave #${room}`;
    item.append(button, leave);
    return item;
  });
  renderKeepingFocus(ui.openRooms, items);
  ui.openRoomsEmpty.hidden = items.length > 0;
}

function renderLobby() {
  const rooms = [...state.lobby].sort((a, b) => b.userCount - a.userCount || a.name.localeCompare(b.name));
  const items = rooms.map(room => {
    const item = element('li', 'room-item');
    item.dataset.room = room.name;
    const open = client.room(room.name) !== undefined;
    const button = roomButton(room.name, 'join', `#${room.name}`);
    button.title = open ? `Open #${room.name}` : `Join #${room.name}`;
    if (open) {
      button.classList.add('joined');
    }

    if (room.name === state.active) {
      button.setAttribute('aria-current', 'true');
    }

    const count = element('span', 'count', String(room.userCount));
    count.append(element('span', 'visually-hidden', room.userCount === 1 ? ' member' : ' members'));
    button.append(count);
    item.append(button);
    return item;
  });
  renderKeepingFocus(ui.lobby, items);
  ui.lobbyEmpty.hidden = items.length > 0;
}

function renderMembers() {
  const room = state.active === null ? undefined : client.room(state.active);
  const members = room ? [...room.members].sort((a, b) => a.localeCompare(b)) : [];
  ui.memberList.replaceChildren(...members.map(nickname => {
    const item = element('li', 'member');
    item.append(avatar(nickname), element('span', 'member-name', nickname));
    if (isMe(nickname)) {
      item.classList.add('member-self');
      item.append(element('span', 'you', '(you)'));
    }

    return item;
  }));
  ui.membersHeading.textContent = room ? `Members (${members.length})` : 'Members';
  ui.roomSubtitle.textContent = room ? plural(members.length, 'member') : '';
  ui.membersToggle.textContent = room ? `Members (${members.length})` : 'Members';
}

function stopTyping(room, nickname) {
  const typers = state.typing.get(room);
  if (typers) {
    for (const name of typers.keys()) {
      if (sameNickname(name, nickname)) {
        typers.delete(name);
      }
    }

    renderTyping();
  }
}

function renderTyping() {
  const typers = state.typing.get(state.active) ?? new Map();
  const now = Date.now();
  for (const [name, until] of typers) {
    if (until <= now) {
      typers.delete(name);
    }
  }

  const names = [...typers.keys()];
  let text = '';
  if (names.length === 1) {
    text = `${names[0]} is typing…`;
  } else if (names.length === 2) {
    text = `${names[0]} and ${names[1]} are typing…`;
  } else if (names.length > 2) {
    text = 'Several people are typing…';
  }

  if (ui.typing.textContent !== text) {
    ui.typing.textContent = text;
  }
}

function renderTitle() {
  let unread = 0;
  for (const count of state.unread.values()) {
    unread += count;
  }

  document.title = `${unread > 0 ? `(${unread}) ` : ''}${state.active === null ? '' : `#${state.active} · `}SignalRChat`;
}

let bannerTimer = null;

function renderBanner() {
  clearTimeout(bannerTimer);
  const connection = state.connection;
  const offline = !navigator.onLine;
  let text = '';
  let countdown = '';
  let shown = 'none';
  if (offline && connection !== 'refused') {
    text = 'You are offline. Waiting for the network…';
    shown = 'offline';
  } else if (connection === 'connecting') {
    text = 'Connecting to the chat server…';
    shown = 'connecting';
  } else if (connection === 'reconnecting') {
    shown = 'reconnecting';
    if (state.serverRestarting) {
      text = 'The server is restarting. Reconnecting…';
    } else {
      text = state.everConnected ? 'Connection lost. Reconnecting…' : 'Cannot reach the chat server. Reconnecting…';
    }

    const wait = Math.ceil(((state.detail.nextRetryAt ?? 0) - Date.now()) / 1000);
    if (wait >= 2) {
      countdown = `Next try in ${wait} s.`;
      bannerTimer = setTimeout(renderBanner, 1000);
    }
  } else if (connection === 'connected' && state.problemShown) {
    text = 'Connected.';
    shown = 'connected';
    bannerTimer = setTimeout(() => {
      state.problemShown = false;
      renderBanner();
    }, 2500);
  }

  if (shown !== 'none' && shown !== 'connected') {
    state.problemShown = state.everConnected || shown !== 'connecting';
    if (state.pending.size > 0) {
      text += ` ${plural(state.pending.size, 'message')} will be sent when the connection is back.`;
    }
  }

  ui.banner.dataset.state = shown === 'offline' ? 'offline' : connection;
  ui.banner.classList.toggle('shown', shown !== 'none');
  if (ui.bannerText.textContent !== text) {
    ui.bannerText.textContent = text;
  }

  ui.bannerCountdown.textContent = countdown;
  ui.bannerRetry.hidden = connection !== 'reconnecting';
}

// ---- the message box and its commands -----------------------------------------------------------

async function submitComposer() {
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
    case 'join':
      await joinRoom(args[0]);
      break;
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
      break;
  }
}

// ---- the nickname dialog ------------------------------------------------------------------------

function askNickname(mode, sentence = '') {
  state.dialogMode = mode;
  const renaming = mode === 'rename';
  ui.dialogTitle.textContent = mode === 'welcome'
    ? 'Welcome to SignalRChat'
    : renaming ? 'Change your nickname' : 'Choose another nickname';
  ui.dialogIntro.textContent = renaming
    ? 'Everyone in your rooms sees the new name.'
    : 'Pick the name others will see, or let the chat pick one for you. You can change it later.';
  ui.dialogError.textContent = sentence;
  ui.dialogInput.value = renaming ? client.nickname ?? '' : identity.nickname ?? '';
  ui.dialogInput.setAttribute('aria-invalid', String(sentence !== ''));
  ui.dialogAuto.hidden = renaming;
  ui.dialogCancel.hidden = !renaming;
  ui.dialogSubmit.textContent = renaming ? 'Change' : 'Start chatting';
  if (!ui.dialog.open) {
    ui.dialog.showModal();
  }

  ui.dialogInput.focus();
  ui.dialogInput.select();
}

function closeDialog() {
  state.dialogMode = null;
  ui.dialog.close();
  ui.input.focus();
}

async function submitNickname(auto) {
  const nickname = ui.dialogInput.value.trim();
  if (!auto && !nicknamePattern.test(nickname)) {
    ui.dialogError.textContent = nicknameRule;
    ui.dialogInput.setAttribute('aria-invalid', 'true');
    ui.dialogInput.focus();
    return;
  }

  if (state.dialogMode === 'rename') {
    try {
      await client.setNickname(nickname);
      closeDialog();
    } catch (error) {
      ui.dialogError.textContent = errorText(error);
      ui.dialogInput.focus();
    }

    return;
  }

  identity.nickname = auto ? null : nickname;
  closeDialog();
  client.start();
}

// ---- drawers on narrow screens ------------------------------------------------------------------

function openDrawer(name) {
  document.body.dataset.drawer = name;
  ui.sidebarToggle.setAttribute('aria-expanded', String(name === 'rooms'));
  ui.membersToggle.setAttribute('aria-expanded', String(name === 'members'));
  (name === 'rooms' ? ui.sidebar : ui.members).querySelector('button, input')?.focus();
}

function closeDrawer({ restoreFocus = false } = {}) {
  const open = document.body.dataset.drawer;
  if (!open) {
    return;
  }

  delete document.body.dataset.drawer;
  ui.sidebarToggle.setAttribute('aria-expanded', 'false');
  ui.membersToggle.setAttribute('aria-expanded', 'false');
  if (restoreFocus) {
    (open === 'rooms' ? ui.sidebarToggle : ui.membersToggle).focus();
  }
}

// ---- wiring -------------------------------------------------------------------------------------

function wire() {
  ui.composer.addEventListener('submit', event => {
    event.preventDefault();
    submitComposer();
  });
  ui.input.addEventListener('keydown', event => {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      submitComposer();
    }
  });
  ui.input.addEventListener('input', () => {
    const text = ui.input.value;
    if (state.active !== null && text.trim() !== '' && !text.startsWith('/')) {
      client.typing(state.active);
    }
  });

  ui.joinForm.addEventListener('submit', async event => {
    event.preventDefault();
    const name = ui.joinInput.value.trim();
    if (name === '') {
      return;
    }

    try {
      await joinRoom(name);
      ui.joinInput.value = '';
      ui.joinError.textContent = '';
    } catch (error) {
      ui.joinError.textContent = errorText(error);
      ui.joinInput.focus();
    }
  });

  const onRoomClick = async event => {
    const button = event.target.closest('button[data-action]');
    if (!button) {
      return;
    }

    const { action, room } = button.dataset;
    try {
      if (action === 'switch') {
        activateRoom(room, { focus: true });
      } else if (action === 'join') {
        if (client.room(room)) {
          activateRoom(room, { focus: true });
        } else {
          await joinRoom(room);
        }
      } else if (action === 'leave') {
        await client.leave(room);
        activePane().appendNotice(`You left #${room}.`);
        ui.input.focus();
      }
    } catch (error) {
      activePane().appendNotice(errorText(error), { kind: 'error' });
    }
  };
  ui.openRooms.addEventListener('click', onRoomClick);
  ui.lobby.addEventListener('click', onRoomClick);

  ui.bannerRetry.addEventListener('click', () => client.connection.retryNow());
  window.addEventListener('online', () => {
    renderBanner();
    client.connection.retryNow();
  });
  window.addEventListener('offline', renderBanner);

  ui.sidebarToggle.addEventListener('click', () => (document.body.dataset.drawer === 'rooms' ? closeDrawer() : openDrawer('rooms')));
  ui.membersToggle.addEventListener('click', () => (document.body.dataset.drawer === 'members' ? closeDrawer() : openDrawer('members')));
  ui.scrim.addEventListener('click', () => closeDrawer({ restoreFocus: true }));
  document.addEventListener('keydown', event => {
    if (event.key === 'Escape' && document.body.dataset.drawer && !ui.dialog.open) {
      closeDrawer({ restoreFocus: true });
    } else if (event.altKey && (event.key === 'ArrowUp' || event.key === 'ArrowDown')) {
      event.preventDefault();
      switchBy(event.key === 'ArrowUp' ? -1 : 1);
    }
  });

  ui.changeNickname.addEventListener('click', () => askNickname('rename'));
  ui.dialogForm.addEventListener('submit', event => {
    event.preventDefault();
    submitNickname(false);
  });
  ui.dialogAuto.addEventListener('click', () => submitNickname(true));
  ui.dialogCancel.addEventListener('click', () => closeDialog());
  ui.dialog.addEventListener('cancel', event => {
    // Escape may close the rename dialog, not the one that is needed to connect at all.
    if (state.dialogMode !== 'rename') {
      event.preventDefault();
    } else {
      state.dialogMode = null;
    }
  });

  document.addEventListener('visibilitychange', () => {
    if (!document.hidden && state.active !== null && state.unread.has(state.active)) {
      state.unread.delete(state.active);
      renderOpenRooms();
      renderTitle();
    }
  });
  window.addEventListener('beforeunload', event => {
    if (state.pending.size > 0) {
      event.preventDefault();
    }
  });
}

function start() {
  state.home = new MessagePane(null);
  ui.panes.append(state.home.element);
  state.home.setHistoryState('beginning');
  state.home.appendNotice('Welcome to SignalRChat. Pick a room on the left or create one by joining a new name; type /help for the commands.');
  wire();
  activateRoom(null);
  renderBanner();
  if (identity.nickname === null) {
    askNickname('welcome');
  } else {
    ui.myNickname.textContent = identity.nickname;
    client.start();
  }
}

start();
