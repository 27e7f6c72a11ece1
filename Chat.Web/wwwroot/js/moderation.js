import { element } from './dom.js';
import { client } from './page-client.js';
import { state, ui } from './page-state.js';
import { errorText } from './page-text.js';
import { roleOf } from './room-roles.js';

/**
 * What operators do from the page: the member dialog (kick with a reason, ban, op or deop, voice or
 * devoice one member) and the room settings dialog (topic, invite-only, key, moderated, invitations and
 * the ban list). Both are modal `<dialog>`s: Escape closes them and the focus goes back where it was.
 * The server decides who may do what; a refusal's sentence shows in the dialog.
 */

function returnFocus(opener) {
  if (opener?.isConnected) {
    opener.focus();
  } else {
    // The member's row is gone (kicked or banned): the message box is where the keyboard goes on from.
    ui.input.focus();
  }
}

// ---- the member dialog ----

let memberOpener = null;

export function openMemberDialog(nickname, opener) {
  const room = state.active;
  const info = client.room(room)?.info;
  if (!info) {
    return;
  }

  memberOpener = opener;
  state.memberTarget = { room, nickname };
  const role = roleOf(info, nickname);
  ui.memberTitle.textContent = `${nickname} in #${room}`;
  ui.memberRole.textContent = {
    owner: `${nickname} owns #${room}.`,
    operator: `${nickname} is an operator of #${room}.`,
    voiced: `${nickname} may speak while #${room} is moderated.`,
  }[role] ?? `${nickname} is a member of #${room}.`;
  ui.memberOp.textContent = role === 'operator' ? 'Remove operator' : 'Make operator';
  ui.memberOp.dataset.memberAction = role === 'operator' ? 'deop' : 'op';
  ui.memberOp.hidden = role === 'owner';
  ui.memberVoice.textContent = role === 'voiced' ? 'Take voice' : 'Give voice';
  ui.memberVoice.dataset.memberAction = role === 'voiced' ? 'devoice' : 'voice';
  ui.memberReason.value = '';
  ui.memberError.textContent = '';
  ui.memberDialog.showModal();
  ui.memberReason.focus();
}

export function closeMemberDialog() {
  ui.memberDialog.close();
}

async function runMemberAction(action) {
  const target = state.memberTarget;
  if (target === null) {
    return;
  }

  const reason = ui.memberReason.value.trim();
  try {
    if (action === 'kick') {
      await client.moderation.kick(target.room, target.nickname, reason === '' ? null : reason);
    } else {
      await client.moderation.role(action, target.room, target.nickname);
    }

    ui.memberDialog.close();
  } catch (error) {
    ui.memberError.textContent = errorText(error);
  }
}

// ---- the room settings dialog ----

let settingsOpener = null;
let shown = null;

function renderSettings(settings) {
  shown = settings;
  const { info } = settings;
  ui.settingsTitle.textContent = `Settings of #${info.room}`;
  ui.settingsTopic.value = info.topic ?? '';
  ui.settingsInviteOnly.checked = info.inviteOnly;
  ui.settingsModerated.checked = info.moderated;
  ui.settingsKey.value = settings.key ?? '';
  renderBans(settings.banned);
  ui.invited.textContent = settings.invited.length === 0 ? '' : `Invited: ${settings.invited.join(', ')}`;
}

function renderBans(banned) {
  ui.bans.replaceChildren(...banned.map(nickname => {
    const item = element('li', 'ban');
    item.dataset.nickname = nickname;
    const unban = element('button', 'secondary', 'Unban');
    unban.type = 'button';
    unban.dataset.nickname = nickname;
    unban.setAttribute('aria-label', `Unban ${nickname}`);
    item.append(element('span', 'member-name', nickname), unban);
    return item;
  }));
  ui.bansEmpty.hidden = banned.length > 0;
}

export async function openSettings() {
  const room = state.active;
  if (room === null) {
    return;
  }

  settingsOpener = document.activeElement;
  try {
    renderSettings(await client.moderation.roomSettings(room));
  } catch (error) {
    client.room(room) && state.panes.get(room)?.appendNotice(errorText(error), { kind: 'error' });
    return;
  }

  ui.settingsError.textContent = '';
  ui.settingsStatus.textContent = '';
  ui.inviteInput.value = '';
  ui.settingsDialog.showModal();
  ui.settingsTopic.focus();
}

async function reloadSettings() {
  renderSettings(await client.moderation.roomSettings(shown.info.room));
}

/** Saves what changed, one hub call per change (the same calls /topic and /mode make). */
async function saveSettings() {
  const { info, key } = shown;
  const room = info.room;
  const topic = ui.settingsTopic.value.trim();
  const newKey = ui.settingsKey.value.trim();
  try {
    if (topic !== (info.topic ?? '')) {
      await client.moderation.setTopic(room, topic);
    }

    if (ui.settingsInviteOnly.checked !== info.inviteOnly) {
      await client.moderation.setMode(room, ui.settingsInviteOnly.checked ? '+i' : '-i');
    }

    if (ui.settingsModerated.checked !== info.moderated) {
      await client.moderation.setMode(room, ui.settingsModerated.checked ? '+m' : '-m');
    }

    if (newKey !== (key ?? '')) {
      await client.moderation.setMode(room, newKey === '' ? '-k' : '+k', newKey === '' ? null : newKey);
    }
  } catch (error) {
    ui.settingsError.textContent = errorText(error);
    await reloadSettings().catch(() => {});
    return;
  }

  ui.settingsDialog.close();
}

async function invite() {
  const nickname = ui.inviteInput.value.trim();
  if (nickname === '') {
    ui.settingsError.textContent = 'Type the nickname of the user to invite.';
    ui.inviteInput.focus();
    return;
  }

  try {
    await client.moderation.role('invite', shown.info.room, nickname);
    ui.inviteInput.value = '';
    ui.settingsError.textContent = '';
    ui.settingsStatus.textContent = `Invited ${nickname}.`;
    await reloadSettings();
  } catch (error) {
    ui.settingsError.textContent = errorText(error);
  }

  ui.inviteInput.focus();
}

async function unban(nickname) {
  try {
    await client.moderation.role('unban', shown.info.room, nickname);
    ui.settingsError.textContent = '';
    ui.settingsStatus.textContent = `Lifted the ban on ${nickname}.`;
    await reloadSettings();
  } catch (error) {
    ui.settingsError.textContent = errorText(error);
  }

  // The button pressed is gone with its row: the list (or the invite box) keeps the keyboard nearby.
  (ui.bans.querySelector('button') ?? ui.inviteInput).focus();
}

export function wireModeration() {
  ui.memberList.addEventListener('click', event => {
    const button = event.target.closest('button.member-manage');
    if (button) {
      openMemberDialog(button.dataset.nickname, button);
    }
  });
  ui.memberForm.addEventListener('submit', event => {
    event.preventDefault();
    runMemberAction('kick');
  });
  for (const button of ui.memberForm.querySelectorAll('button[data-member-action]:not([type="submit"])')) {
    button.addEventListener('click', () => runMemberAction(button.dataset.memberAction));
  }

  ui.memberClose.addEventListener('click', closeMemberDialog);
  ui.memberDialog.addEventListener('close', () => {
    state.memberTarget = null;
    returnFocus(memberOpener);
    memberOpener = null;
  });

  ui.roomSettingsButton.addEventListener('click', openSettings);
  ui.settingsForm.addEventListener('submit', event => {
    event.preventDefault();
    saveSettings();
  });
  ui.settingsClose.addEventListener('click', () => ui.settingsDialog.close());
  ui.settingsDialog.addEventListener('close', () => {
    shown = null;
    returnFocus(settingsOpener);
    settingsOpener = null;
  });
  ui.inviteForm.addEventListener('submit', event => {
    event.preventDefault();
    invite();
  });
  ui.bans.addEventListener('click', event => {
    const button = event.target.closest('button[data-nickname]');
    if (button) {
      unban(button.dataset.nickname);
    }
  });
}
