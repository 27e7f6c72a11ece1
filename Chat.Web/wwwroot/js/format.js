/** Times, days and colours for display; every user string stays text. */
const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit' });
const fullFormat = new Intl.DateTimeFormat(undefined, { dateStyle: 'full', timeStyle: 'medium' });
const dayFormat = new Intl.DateTimeFormat(undefined, { weekday: 'long', day: 'numeric', month: 'long' });
const dayYearFormat = new Intl.DateTimeFormat(undefined, { weekday: 'long', day: 'numeric', month: 'long', year: 'numeric' });

export function formatTime(date) {
  return timeFormat.format(date);
}

export function formatFull(date) {
  return fullFormat.format(date);
}

/** A local calendar day as yyyy-mm-dd, to compare messages by day. */
export function dayKey(date) {
  return `${date.getFullYear()}-${String(date.getMonth() + 1).padStart(2, '0')}-${String(date.getDate()).padStart(2, '0')}`;
}

export function dayLabel(date, now = new Date()) {
  const today = dayKey(now);
  const yesterday = new Date(now);
  yesterday.setDate(now.getDate() - 1);
  const key = dayKey(date);
  if (key === today) {
    return 'Today';
  }

  if (key === dayKey(yesterday)) {
    return 'Yesterday';
  }

  return (date.getFullYear() === now.getFullYear() ? dayFormat : dayYearFormat).format(date);
}

/** A stable hue for a nickname, so each person keeps their colour. */
export function hueOf(nickname) {
  let hash = 0;
  for (const char of nickname.toLowerCase()) {
    hash = (hash * 31 + char.codePointAt(0)) >>> 0;
  }

  // The golden angle spreads neighbouring hashes around the colour wheel.
  return Math.round((hash % 1000) * 137.508) % 360;
}

/** The first letter or digit of a nickname, for its avatar. */
export function initialOf(nickname) {
  const match = /[\p{L}\p{N}]/u.exec(nickname);
  return (match ? match[0] : '?').toUpperCase();
}

const urlPattern = /\bhttps?:\/\/[^\s<>"']+/giu;

/**
 * Appends `text` to `parent` as text nodes, with web addresses as links. Nothing is parsed as HTML:
 * the link's text and address are set as properties.
 */
export function appendText(parent, text) {
  let last = 0;
  for (const match of text.matchAll(urlPattern)) {
    const address = match[0].replace(/[.,;:!?)\]]+$/u, '');
    let url;
    try {
      url = new URL(address);
    } catch {
      continue;
    }

    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      continue;
    }

    parent.append(document.createTextNode(text.slice(last, match.index)));
    const link = document.createElement('a');
    link.href = url.href;
    link.textContent = address;
    link.rel = 'noopener noreferrer';
    link.target = '_blank';
    parent.append(link);
    last = match.index + address.length;
  }

  parent.append(document.createTextNode(text.slice(last)));
}
