import { hueOf, initialOf } from './format.js';

/** Creates an element; `text` becomes its text content, never markup. */
export function element(tag, className, text) {
  const node = document.createElement(tag);
  if (className) {
    node.className = className;
  }

  if (text !== undefined) {
    node.textContent = text;
  }

  return node;
}

/** A round avatar with the person's initial, coloured by their name (decorative: the name is beside it). */
export function avatar(nickname) {
  const node = element('span', 'avatar', initialOf(nickname));
  node.setAttribute('aria-hidden', 'true');
  node.style.setProperty('--hue', String(hueOf(nickname)));
  return node;
}
