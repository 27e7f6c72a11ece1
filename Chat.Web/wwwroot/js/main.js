import { submitComposer } from './composer.js';
import { closeDrawer, openDrawer } from './drawers.js';
import { identity } from './identity.js';
import { wireModeration } from './moderation.js';
import { askNickname, closeDialog, submitAccount, submitDefault, submitGuest } from './nickname-dialog.js';
import { client, sessionExpired } from './page-client.js';
import { state, ui } from './page-state.js';
import { errorText } from './page-text.js';
import { MessagePane } from './pane.js';
import { renderBanner, renderMe, renderOpenRooms, renderTitle } from './render.js';
import { activateRoom, activePane, joinRoom, switchBy } from './room-panes.js';
import { clearSession, isExpired, storedSession } from './session.js';

// Set for the reload after signing out, so the page asks again instead of connecting as the last guest.
const signedOutFlag = 'signalrchat.signed-out';

/** The page's entry point: wires the controls to what they do, then starts. */

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
    if (event.key === 'Escape' && document.body.dataset.drawer && !document.querySelector('dialog[open]')) {
      closeDrawer({ restoreFocus: true });
    } else if (event.altKey && (event.key === 'ArrowUp' || event.key === 'ArrowDown')) {
      event.preventDefault();
      switchBy(event.key === 'ArrowUp' ? -1 : 1);
    }
  });

  ui.changeNickname.addEventListener('click', () => askNickname('rename'));
  ui.signInLink.addEventListener('click', () => askNickname('switch'));
  ui.signOut.addEventListener('click', () => {
    clearSession();
    try {
      sessionStorage.setItem(signedOutFlag, '1');
    } catch {
      // Without storage the reload connects as the last guest, which is still signed out.
    }

    location.reload();
  });
  // One handler for Enter and every button: the form's implicit submission would pick the first button.
  ui.dialogForm.addEventListener('submit', event => {
    event.preventDefault();
    submitDefault();
  });
  ui.dialogGuest.addEventListener('click', () => submitGuest());
  ui.dialogSignIn.addEventListener('click', () => submitAccount('sign-in'));
  ui.dialogCreate.addEventListener('click', () => submitAccount('create'));
  ui.dialogCancel.addEventListener('click', () => closeDialog());
  ui.dialog.addEventListener('cancel', event => {
    // Escape may close the rename and sign-in dialogs, not the one that is needed to connect at all.
    event.preventDefault();
    if (state.dialogMode === 'rename' || state.dialogMode === 'switch') {
      closeDialog();
    }
  });
  wireModeration();

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
  renderMe();
  const session = storedSession();
  let signedOut = false;
  try {
    signedOut = sessionStorage.getItem(signedOutFlag) !== null;
    sessionStorage.removeItem(signedOutFlag);
  } catch {
    // No storage: no flag either.
  }

  if (session !== null && isExpired(session)) {
    clearSession();
    askNickname('sign-in', sessionExpired, session.username);
  } else if (session !== null) {
    ui.myNickname.textContent = session.username;
    client.start();
  } else if (identity.nickname === null || signedOut) {
    askNickname('welcome');
  } else {
    // A guest from an earlier visit (or from before accounts existed) goes on as before.
    ui.myNickname.textContent = identity.nickname;
    client.start();
  }
}

start();
