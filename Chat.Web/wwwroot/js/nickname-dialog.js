import { identity } from './identity.js';
import { client } from './page-client.js';
import { state, ui } from './page-state.js';
import { errorText } from './page-text.js';

/** The nickname question: on the first visit, after the server refuses a name, and for /nick by dialog. */

const nicknamePattern = /^[\p{L}\p{N}_.-]{1,32}$/u;
const nicknameRule = 'Nicknames may use letters, digits, -, _ and . (1-32 characters, no spaces).';

export function askNickname(mode, sentence = '') {
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

export function closeDialog() {
  state.dialogMode = null;
  ui.dialog.close();
  ui.input.focus();
}

export async function submitNickname(auto) {
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
