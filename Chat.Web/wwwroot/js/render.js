import { sameNickname } from './chat-client.js';
import { avatar, element } from './dom.js';
import { client, isMe } from './page-client.js';
import { state, ui } from './page-state.js';
import { plural } from './page-text.js';
import { canModerate, modeWords, roleOf } from './room-roles.js';

/**
 * Draws what lies around the panes from the page's state: the room lists, the members, who is typing,
 * the title and the connection banner.
 */

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

export function renderOpenRooms() {
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

export function renderLobby() {
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
    if (room.topic) {
      const topic = element('span', 'room-topic-line', room.topic);
      topic.prepend(element('span', 'visually-hidden', 'Topic: '));
      button.append(topic);
      button.classList.add('with-topic');
    }

    item.append(button);
    return item;
  });
  renderKeepingFocus(ui.lobby, items);
  ui.lobbyEmpty.hidden = items.length > 0;
}

const roleOrder = { owner: 0, operator: 1, voiced: 2 };
const roleBadges = { owner: 'owner', operator: 'operator', voiced: 'voice' };

/** Whether this user may run the active room (or `room`): owner, operator, or a server administrator. */
export function moderatesRoom(room = state.active) {
  const joined = room === null ? undefined : client.room(room);
  return joined !== undefined && client.nickname !== null && canModerate(joined.info, client.nickname, client.profile.administrator);
}

/** The member list (owner, operators and voiced first, each with a badge in words) and the room's header. */
export function renderMembers() {
  const room = state.active === null ? undefined : client.room(state.active);
  const info = room?.info;
  const moderating = moderatesRoom();
  const members = room
    ? [...room.members].sort((a, b) => (roleOrder[roleOf(info, a)] ?? 3) - (roleOrder[roleOf(info, b)] ?? 3) || a.localeCompare(b))
    : [];
  const focusedMember = ui.memberList.contains(document.activeElement) ? document.activeElement.dataset.nickname : undefined;
  ui.memberList.replaceChildren(...members.map(nickname => {
    const item = element('li', 'member');
    item.dataset.nickname = nickname;
    item.append(avatar(nickname), element('span', 'member-name', nickname));
    const role = roleOf(info, nickname);
    if (role !== null) {
      item.dataset.role = role;
      item.append(element('span', `role role-${role}`, roleBadges[role]));
    }

    if (isMe(nickname)) {
      item.classList.add('member-self');
      item.append(element('span', 'you', '(you)'));
    } else if (moderating) {
      const manage = element('button', 'member-manage');
      manage.type = 'button';
      manage.dataset.nickname = nickname;
      manage.setAttribute('aria-haspopup', 'dialog');
      manage.setAttribute('aria-label', `Moderate ${nickname}`);
      manage.title = `Kick, ban or change the role of ${nickname}`;
      manage.append(element('span', undefined, '⋯'));
      manage.firstChild.setAttribute('aria-hidden', 'true');
      item.append(manage);
    }

    return item;
  }));
  if (focusedMember !== undefined) {
    ui.memberList.querySelector(`button[data-nickname="${CSS.escape(focusedMember)}"]`)?.focus();
  }

  ui.membersHeading.textContent = room ? `Members (${members.length})` : 'Members';
  const modes = modeWords(info);
  ui.roomSubtitle.textContent = room ? [plural(members.length, 'member'), ...modes].join(' · ') : '';
  ui.membersToggle.textContent = room ? `Members (${members.length})` : 'Members';
  const topic = info?.topic ?? '';
  if (ui.roomTopic.textContent !== topic) {
    ui.roomTopic.textContent = topic;
  }

  ui.roomSettingsButton.hidden = !moderating;
}

/** The sidebar's "who am I": a guest may change the nickname or sign in; a signed-in user may sign out. */
export function renderMe() {
  const signedIn = client.profile.signedIn;
  ui.meLabel.textContent = signedIn ? 'Signed in as' : 'Chatting as a guest';
  ui.changeNickname.hidden = signedIn;
  ui.signInLink.hidden = signedIn;
  ui.signOut.hidden = !signedIn;
}

export function stopTyping(room, nickname) {
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

export function renderTyping() {
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

export function renderTitle() {
  let unread = 0;
  for (const count of state.unread.values()) {
    unread += count;
  }

  document.title = `${unread > 0 ? `(${unread}) ` : ''}${state.active === null ? '' : `#${state.active} · `}SignalRChat`;
}

let bannerTimer = null;

export function renderBanner() {
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
