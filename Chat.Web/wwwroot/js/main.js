import { submitComposer } from './composer.js';
import { closeDrawer, openDrawer } from './drawers.js';
import { identity } from './identity.js';
import { askNickname, closeDialog, submitNickname } from './nickname-dialog.js';
import { client } from './page-client.js';
import { state, ui } from './page-state.js';
import { errorText } from './page-text.js';
import { MessagePane } from './pane.js';
import { renderBanner, renderOpenRooms, renderTitle } from './render.js';
import { activateRoom, activePane, joinRoom, switchBy } from './room-panes.js';

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
