import { ChatClient, sameNickname } from './chat-client.js';
import { identity } from './identity.js';
import { askNickname } from './nickname-dialog.js';
import { state, ui } from './page-state.js';
import { renderBanner, renderLobby, renderMe, renderMembers, renderOpenRooms, renderTitle, renderTyping, stopTyping } from './render.js';
import { activateRoom, activePane, joinRoom, openInitialRooms, paneFor, saveRooms } from './room-panes.js';
import { roomEventText } from './room-roles.js';
import { clearSession, isExpired, storedSession } from './session.js';
import { errorText } from './page-text.js';

/**
 * The page's one chat client, and what the page does with each thing it reports. The handlers run
 * only once the client starts, after every module of the page is loaded, so the modules they call may
 * import the client in turn.
 */

const typingShownMs = 4000;

export function isMe(nickname) {
  return client.nickname !== null && sameNickname(nickname, client.nickname);
}

export const sessionExpired = 'Your session has expired. Sign in again.';

/** The signed-in user's token for the connection, or why it cannot be used; null for a guest. */
function session() {
  const stored = storedSession();
  if (stored === null) {
    return null;
  }

  return isExpired(stored) ? { refusal: sessionExpired } : { token: stored.accessToken };
}

export const client = new ChatClient(identity, {
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
  refused: sentence => {
    // A signed-in connection is refused for its token (expired, forged, or from another server): sign in again.
    if (storedSession() !== null) {
      const username = storedSession().username;
      clearSession();
      ui.myNickname.textContent = '…';
      askNickname('sign-in', sentence, username);
    } else {
      askNickname('refused', sentence);
    }
  },
  nickname: nickname => {
    ui.myNickname.textContent = nickname;
    renderMe();
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
  roomInfo: room => {
    if (room === state.active) {
      renderMembers();
    }

    renderLobby();
  },
  roomChanged: (change, { removed }) => {
    const text = roomEventText(change, client.nickname);
    if (removed) {
      // The room's pane is gone (the `left` event came first): say why where the reader is now.
      activePane().appendNotice(text, { kind: 'error' });
      return;
    }

    paneFor(change.room).appendNotice(text, { kind: 'room' });
    if (change.room === state.active) {
      renderMembers();
    }
  },
  invited: invitation => {
    activePane().appendNotice(`${invitation.by} invited you to #${invitation.room}.`, {
      kind: 'server',
      action: {
        label: `Join #${invitation.room}`,
        run: async () => {
          try {
            await joinRoom(invitation.room);
          } catch (error) {
            activePane().appendNotice(errorText(error), { kind: 'error' });
          }
        },
      },
    });
  },
}, session);
