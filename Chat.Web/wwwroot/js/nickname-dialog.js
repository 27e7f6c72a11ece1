import { createAccount, signIn } from './accounts-api.js';
import { identity } from './identity.js';
import { client } from './page-client.js';
import { state, ui } from './page-state.js';
import { errorText } from './page-text.js';
import { saveSession, storedSession } from './session.js';

/**
 * The welcome question before connecting: sign in, create an account, or continue as a guest (with a
 * nickname, or one the chat picks). It comes back when the server refuses a guest's nickname or a
 * signed-in user's token, opens from the sidebar for a guest who wants to sign in, and asks for a new
 * nickname for /nick by dialog.
 *
 * Modes: welcome, refused (a guest's nickname), sign-in (the token was refused or expired), switch
 * (a connected guest signs in; cancellable), rename (cancellable).
 */

const nicknamePattern = /^[\p{L}\p{N}_.-]{1,32}$/u;
const nicknameRule = 'Nicknames may use letters, digits, -, _ and . (1-32 characters, no spaces).';
const titles = {
  welcome: 'Welcome to SignalRChat',
  refused: 'Choose another nickname',
  'sign-in': 'Sign in again',
  switch: 'Sign in',
  rename: 'Change your nickname',
};
const intros = {
  rename: 'Everyone in your rooms sees the new name.',
  switch: 'Sign in or create an account: your name is then yours on every device, and rooms you create are yours to run.',
};
const defaultIntro = 'Sign in or create an account to keep your name and own rooms, or continue as a guest: with an empty name the chat picks one for you.';

/** Opens the dialog in a mode; `sentence` is shown as the error, `name` fills the name box. */
export function askNickname(mode, sentence = '', name = null) {
  const opener = document.activeElement;
  state.dialogMode = mode;
  state.dialogReturn = mode === 'rename' || mode === 'switch' ? opener : null;
  const renaming = mode === 'rename';
  const cancellable = renaming || mode === 'switch';
  ui.dialogTitle.textContent = titles[mode];
  ui.dialogIntro.textContent = intros[mode] ?? defaultIntro;
  ui.dialogLabel.textContent = renaming ? 'Nickname' : 'Name';
  ui.dialogInput.autocomplete = renaming ? 'nickname' : 'username';
  ui.dialogError.textContent = sentence;
  ui.dialogInput.value = name ?? (renaming ? client.nickname ?? '' : storedSession()?.username ?? identity.nickname ?? '');
  ui.dialogInput.setAttribute('aria-invalid', String(sentence !== '' && mode === 'refused'));
  ui.dialogPassword.value = '';
  ui.dialogPasswordFields.hidden = renaming;
  ui.dialogSignIn.hidden = renaming;
  ui.dialogCreate.hidden = renaming;
  ui.dialogGuest.hidden = cancellable;
  ui.dialogCancel.hidden = !cancellable;
  ui.dialogSubmit.hidden = !renaming;
  setBusy(false);
  if (!ui.dialog.open) {
    ui.dialog.showModal();
  }

  // After a refused token the name is known: the password is what is needed.
  const first = mode === 'sign-in' && ui.dialogInput.value !== '' ? ui.dialogPassword : ui.dialogInput;
  first.focus();
  if (first === ui.dialogInput) {
    ui.dialogInput.select();
  }
}

export function closeDialog() {
  const back = state.dialogReturn;
  state.dialogMode = null;
  state.dialogReturn = null;
  ui.dialog.close();
  (back?.isConnected ? back : ui.input).focus();
}

/** Enter in the dialog: rename when renaming, sign in when a password was typed, else continue as a guest. */
export function submitDefault() {
  if (state.dialogMode === 'rename') {
    return submitRename();
  }

  return ui.dialogPassword.value !== '' ? submitAccount('sign-in') : submitGuest();
}

function setBusy(busy) {
  ui.dialogForm.setAttribute('aria-busy', String(busy));
  for (const button of [ui.dialogGuest, ui.dialogCreate, ui.dialogSignIn, ui.dialogSubmit]) {
    button.disabled = busy;
  }
}

function refuse(sentence, field = ui.dialogInput) {
  ui.dialogError.textContent = sentence;
  ui.dialogInput.setAttribute('aria-invalid', String(field === ui.dialogInput));
  field.focus();
}

export async function submitRename() {
  const nickname = ui.dialogInput.value.trim();
  if (!nicknamePattern.test(nickname)) {
    refuse(nicknameRule);
    return;
  }

  try {
    await client.setNickname(nickname);
    closeDialog();
  } catch (error) {
    refuse(errorText(error));
  }
}

/** As a guest: the nickname typed, or (left empty) one the server picks. */
export function submitGuest() {
  const nickname = ui.dialogInput.value.trim();
  if (nickname !== '' && !nicknamePattern.test(nickname)) {
    refuse(nicknameRule);
    return;
  }

  identity.nickname = nickname === '' ? null : nickname;
  closeDialog();
  client.start();
}

/** Signs in, or creates the account and then signs in; the token is kept and the page connects with it. */
export async function submitAccount(action) {
  const username = ui.dialogInput.value.trim();
  const password = ui.dialogPassword.value;
  if (username === '') {
    refuse(action === 'create' ? 'Choose a username for the new account.' : 'Enter your username to sign in.');
    return;
  }

  if (password === '') {
    refuse(action === 'create' ? 'Choose a password for the new account: at least 10 characters.' : 'Enter your password to sign in.', ui.dialogPassword);
    return;
  }

  // Cleared first, so the answer is announced anew even when it is the same sentence.
  ui.dialogError.textContent = '';
  setBusy(true);
  let created = null;
  try {
    if (action === 'create') {
      created = await createAccount(username, password);
    }

    const session = await signIn(created?.username ?? username, password);
    saveSession({ ...session, username: created?.username ?? username }, ui.dialogStay.checked);
  } catch (error) {
    setBusy(false);
    ui.dialogPassword.value = created === null ? '' : password;
    const aboutName = error.status === 409 || (error.status === 400 && !/password/i.test(error.message));
    refuse(errorText(error), aboutName ? ui.dialogInput : ui.dialogPassword);
    return;
  }

  ui.dialogPassword.value = '';
  if (state.dialogMode === 'switch') {
    // A guest connection becomes a signed-in one by connecting anew; the open rooms are reopened.
    location.reload();
    return;
  }

  ui.myNickname.textContent = created?.username ?? username;
  closeDialog();
  client.start();
}
