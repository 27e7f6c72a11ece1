import { canonicalRoom } from './chat-room.js';
import { closeDrawer } from './drawers.js';
import { identity } from './identity.js';
import { client, isMe } from './page-client.js';
import { state, ui } from './page-state.js';
import { errorText } from './page-text.js';
import { MessagePane } from './pane.js';
import { renderLobby, renderMembers, renderOpenRooms, renderTitle, renderTyping } from './render.js';

/**
 * The rooms the page has open: one message pane each, which one is active, joining, and loading
 * older messages.
 */

export function paneFor(room) {
  let pane = state.panes.get(room);
  if (!pane) {
    pane = new MessagePane(room, { onLoadOlder: target => loadOlder(target) });
    state.panes.set(room, pane);
    ui.panes.append(pane.element);
  }

  return pane;
}

export function activePane() {
  return state.active === null ? state.home : paneFor(state.active);
}

export function saveRooms() {
  identity.rooms = client.rooms;
}

/** Joins a room (with its key, if it has one) and (by default) opens it; throws ChatError or OfflineError. */
export async function joinRoom(name, { activate = true, announce = true, key = null } = {}) {
  const alreadyOpen = client.room(canonicalRoom(name)) !== undefined;
  const room = await client.join(name, key);
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
export async function openInitialRooms() {
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

export function activateRoom(room, { focus = false } = {}) {
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

export async function loadOlder(pane, limit = 50) {
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

export function switchBy(step) {
  const rooms = client.rooms;
  if (rooms.length === 0) {
    return;
  }

  const index = rooms.indexOf(state.active);
  activateRoom(rooms[(index + step + rooms.length) % rooms.length], { focus: true });
}
