import { avatar, element } from './dom.js';
import { appendText, dayKey, dayLabel, formatFull, formatTime, hueOf } from './format.js';

const groupWindowMs = 5 * 60 * 1000;
const nearBottomPx = 48;
const loadOlderPx = 160;

/**
 * The conversation of one room (or the home pane when no room is open): its messages with day
 * separators, notices, the sends still waiting, and "load older" at the top. It is its own scroll
 * container and remembers whether the reader is following the newest message.
 */
export class MessagePane {
  #list;
  #outbox;
  #edge;
  #olderButton;
  #beginning;
  #jump;
  #following = true;
  #historyState = 'more';
  #missedRun = false;
  #onLoadOlder;
  #pending = new Map();

  /**
   * @param {string | null} room the room, or null for the home pane.
   * @param {{ onLoadOlder?: (pane: MessagePane) => void }} options
   */
  constructor(room, { onLoadOlder } = {}) {
    this.room = room;
    this.#onLoadOlder = onLoadOlder;
    const label = room === null ? 'Notices' : `Messages in #${room}`;

    this.element = element('div', 'pane');
    this.element.dataset.room = room ?? '';
    this.element.hidden = true;

    // Focusable so the keyboard can scroll it (arrows, Page Up/Down).
    this.scroller = element('div', 'pane-scroll');
    this.scroller.tabIndex = 0;
    this.scroller.setAttribute('role', 'group');
    this.scroller.setAttribute('aria-label', label);

    this.#edge = element('div', 'history-edge');
    if (room !== null) {
      this.#olderButton = element('button', 'load-older', 'Load older messages');
      this.#olderButton.type = 'button';
      this.#olderButton.addEventListener('click', () => this.#requestOlder());
      this.#beginning = element('p', 'beginning', `This is the beginning of #${room}.`);
      this.#beginning.hidden = true;
      this.#edge.append(this.#olderButton, this.#beginning);
    }

    this.#list = element('ol', 'messages');
    this.#list.setAttribute('role', 'log');
    this.#list.setAttribute('aria-label', label);
    this.#list.setAttribute('aria-live', 'polite');
    this.#list.setAttribute('aria-relevant', 'additions');

    this.#outbox = element('ul', 'outbox');
    this.#outbox.setAttribute('aria-label', 'Messages waiting to be sent');
    this.#outbox.hidden = true;

    this.#jump = element('button', 'jump-to-latest', 'New messages below');
    this.#jump.type = 'button';
    this.#jump.hidden = true;
    this.#jump.addEventListener('click', () => this.scrollToBottom());

    this.scroller.append(this.#edge, this.#list, this.#outbox);
    this.element.append(this.scroller, this.#jump);
    this.scroller.addEventListener('scroll', () => this.#onScroll(), { passive: true });
  }

  get visible() {
    return !this.element.hidden;
  }

  show() {
    this.element.hidden = false;
    if (this.#following) {
      this.scrollToBottom();
    }
  }

  hide() {
    this.element.hidden = true;
  }

  /** Marks the log busy while a batch (the join's snapshot) is added, so it is not read out line by line. */
  setBusy(busy) {
    this.#list.setAttribute('aria-busy', String(busy));
  }

  /** 'more' (older messages exist), 'loading', or 'beginning' (seq 1 is shown). */
  setHistoryState(state) {
    this.#historyState = state;
    if (this.room === null) {
      return;
    }

    this.#olderButton.hidden = state === 'beginning';
    this.#olderButton.disabled = state === 'loading';
    this.#olderButton.textContent = state === 'loading' ? 'Loading older messages…' : 'Load older messages';
    this.#beginning.hidden = state !== 'beginning';
  }

  /** A room message at the bottom. `source` is 'snapshot', 'live' or 'missed' (caught up after a reconnect). */
  appendMessage(message, { own, source }) {
    const stick = this.#following || own;
    if (source === 'missed' && !this.#missedRun) {
      this.#appendItem(this.#divider('Missed while you were away'));
    }

    this.#missedRun = source === 'missed';
    this.#appendItem(this.#messageItem(message, own));
    this.#afterAppend(stick);
  }

  /** Older messages (oldest first) above the ones shown, keeping the reader's place. */
  prependMessages(messages, isOwn) {
    if (messages.length === 0) {
      return;
    }

    const fromBottom = this.scroller.scrollHeight - this.scroller.scrollTop;
    const firstOld = this.#list.firstElementChild;
    const batch = document.createDocumentFragment();
    let previous = null;
    for (const message of messages) {
      const item = this.#messageItem(message, isOwn(message));
      if (previous?.dataset.day !== item.dataset.day) {
        batch.append(this.#daySeparator(item.dataset.day));
      }

      this.#group(item, previous);
      batch.append(item);
      previous = item;
    }

    this.#list.insertBefore(batch, firstOld);
    if (firstOld?.classList.contains('day') && firstOld.dataset.day === previous.dataset.day) {
      const next = firstOld.nextElementSibling;
      firstOld.remove();
      if (next) {
        this.#group(next, next.previousElementSibling);
      }
    }

    if (this.visible) {
      this.scroller.scrollTop = this.scroller.scrollHeight - fromBottom;
    }
  }

  /**
   * A line from the chat itself (joins, leaves, command output, errors, what operators did). `items` adds
   * a list under it; `action` ({ label, run }) a button after it (join the room one was invited to);
   * `kind` is 'info', 'presence', 'room', 'error', 'server' or 'direct'.
   */
  appendNotice(text, { kind = 'info', items = [], action = null } = {}) {
    const stick = this.#following || kind === 'error';
    const item = element('li', `notice notice-${kind}${items.length > 0 ? ' notice-block' : ''}`);
    item.dataset.day = dayKey(new Date());
    const line = element('p', 'notice-text', text);
    item.append(line);
    if (items.length > 0) {
      const list = element('ul', 'notice-items');
      for (const entry of items) {
        list.append(element('li', undefined, entry));
      }

      item.append(list);
    }

    if (action !== null) {
      const button = element('button', 'notice-action', action.label);
      button.type = 'button';
      button.addEventListener('click', () => action.run());
      line.append(document.createTextNode(' '), button);
    }

    this.#missedRun = false;
    this.#appendItem(item);
    this.#afterAppend(stick);
    return item;
  }

  /** A private message, shown in whichever pane is open. */
  appendDirect(message, fromMe) {
    const item = element('li', 'message direct');
    const sentAt = new Date(message.sentAt);
    item.dataset.day = dayKey(sentAt);
    const bubble = element('div', 'bubble');
    const meta = element('p', 'meta');
    meta.append(element('span', 'sender', fromMe ? `You → ${message.to}` : `${message.from} → you`));
    meta.append(document.createTextNode(' '));
    meta.append(element('span', 'tag', 'private'));
    meta.append(document.createTextNode(' '));
    meta.append(this.#time(sentAt));
    const text = element('p', 'text');
    appendText(text, message.text);
    bubble.append(meta, text);
    item.append(avatar(fromMe ? message.to : message.from), bubble);
    this.#missedRun = false;
    this.#appendItem(item);
    this.#afterAppend(this.#following || fromMe);
  }

  /** Shows, updates or removes a send that is not yet acknowledged. */
  showOutboxItem(item) {
    let node = this.#pending.get(item.id);
    if (item.status === 'sent' || item.status === 'failed') {
      node?.remove();
      this.#pending.delete(item.id);
      this.#outbox.hidden = this.#pending.size === 0;
      return;
    }

    if (!node) {
      node = element('li', 'message own pending');
      const bubble = element('div', 'bubble');
      const text = element('p', 'text');
      appendText(text, item.text);
      bubble.append(element('p', 'meta status'), text);
      node.append(bubble);
      this.#pending.set(item.id, node);
      this.#outbox.append(node);
      this.#outbox.hidden = false;
      this.#afterAppend(true);
    }

    node.dataset.status = item.status;
    node.querySelector('.status').textContent = item.status === 'sending' ? 'Sending…' : 'Waiting for the connection…';
  }

  /**
   * The server's copy of a send being answered is on screen: its waiting copy goes, even if the
   * answer itself is still on its way. The copy is found by the id the send went with, not by its
   * text: the same words sent twice, or by the same user in another tab, must each clear only their
   * own. Returns the settled item's id, or undefined.
   */
  settleOutboxItem(clientMessageId) {
    const node = this.#pending.get(clientMessageId);
    if (node?.dataset.status !== 'sending') {
      return undefined;
    }

    node.remove();
    this.#pending.delete(clientMessageId);
    this.#outbox.hidden = this.#pending.size === 0;
    return clientMessageId;
  }

  scrollToBottom() {
    this.scroller.scrollTop = this.scroller.scrollHeight;
    this.#following = true;
    this.#jump.hidden = true;
  }

  #afterAppend(stick) {
    if (!this.visible) {
      return;
    }

    if (stick) {
      this.scrollToBottom();
    } else {
      this.#jump.hidden = false;
    }
  }

  #appendItem(item) {
    const last = this.#list.lastElementChild;
    if (this.room !== null && last?.dataset.day !== item.dataset.day) {
      this.#list.append(this.#daySeparator(item.dataset.day));
    }

    if (item.classList.contains('message')) {
      this.#group(item, this.#list.lastElementChild);
    }

    this.#list.append(item);
  }

  #onScroll() {
    const { scrollTop, scrollHeight, clientHeight } = this.scroller;
    this.#following = scrollHeight - scrollTop - clientHeight < nearBottomPx;
    if (this.#following) {
      this.#jump.hidden = true;
    }

    if (scrollTop < loadOlderPx) {
      this.#requestOlder();
    }
  }

  #requestOlder() {
    if (this.#historyState === 'more' && this.#onLoadOlder) {
      this.#onLoadOlder(this);
    }
  }

  #messageItem(message, own) {
    const sentAt = new Date(message.sentAt);
    const item = element('li', own ? 'message own' : 'message');
    item.style.setProperty('--hue', String(hueOf(message.sender)));
    item.dataset.seq = String(message.seq);
    item.dataset.sender = message.sender;
    item.dataset.day = dayKey(sentAt);
    item.dataset.time = String(sentAt.getTime());

    const bubble = element('div', 'bubble');
    const meta = element('p', 'meta');
    meta.append(element('span', 'sender', message.sender), document.createTextNode(' '), this.#time(sentAt));
    const text = element('p', 'text');
    appendText(text, message.text);
    bubble.append(meta, text);
    item.append(avatar(message.sender), bubble);
    return item;
  }

  #time(date) {
    const time = element('time', 'time', formatTime(date));
    time.dateTime = date.toISOString();
    time.title = formatFull(date);
    return time;
  }

  #daySeparator(day) {
    const [year, month, date] = day.split('-').map(Number);
    const item = element('li', 'day');
    item.dataset.day = day;
    item.append(element('span', undefined, dayLabel(new Date(year, month - 1, date))));
    return item;
  }

  #divider(text) {
    const item = element('li', 'divider');
    item.dataset.day = dayKey(new Date());
    item.append(element('span', undefined, text));
    return item;
  }

  /** Consecutive messages from one sender within a few minutes share one header. */
  #group(item, previous) {
    const continued = previous?.classList.contains('message')
      && !previous.classList.contains('direct')
      && previous.dataset.sender === item.dataset.sender
      && previous.dataset.day === item.dataset.day
      && Math.abs(Number(item.dataset.time) - Number(previous.dataset.time)) < groupWindowMs;
    item.classList.toggle('continued', Boolean(continued));
  }
}
