import { ui } from './page-state.js';

/** On narrow screens the room list and the member list are drawers over the messages. */

export function openDrawer(name) {
  document.body.dataset.drawer = name;
  ui.sidebarToggle.setAttribute('aria-expanded', String(name === 'rooms'));
  ui.membersToggle.setAttribute('aria-expanded', String(name === 'members'));
  (name === 'rooms' ? ui.sidebar : ui.members).querySelector('button, input')?.focus();
}

export function closeDrawer({ restoreFocus = false } = {}) {
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
