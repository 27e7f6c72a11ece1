import { ChatError } from './chat-connection.js';

/** A fresh id for a message; the server drops a repeat of an id it has seen, so a send may be repeated. */
export function newMessageId() {
  return crypto.randomUUID().replaceAll('-', '');
}

/**
 * The page's messages on their way to rooms: held while offline or while the rooms are being rejoined,
 * then sent in order, one at a time. One whose answer is lost (the connection dropped under it) goes
 * again with the same id, so the server keeps it once; one the server refuses is dropped with its
 * sentence. Each item ({ id, room, text, status }) is reported as it is queued, sending, sent or failed.
 */
export class Outbox {
  #items = [];
  #pumping = false;
  #open = false;
  #send;
  #onChange;
  #onSent;

  /**
   * @param send sends one item (SendMessage with its id) and resolves to the server's message.
   * @param onChange what the page does with an item whenever its status changes.
   * @param onSent what the client does with the server's message once an item is sent.
   */
  constructor(send, { onChange, onSent }) {
    this.#send = send;
    this.#onChange = onChange;
    this.#onSent = onSent;
  }

  /** Queues a message for a room and sends it as soon as the outbox is open; returns its item. */
  add(room, text) {
    const item = { id: newMessageId(), room, text, status: 'queued' };
    this.#items.push(item);
    this.#onChange(item);
    this.#pump();
    return item;
  }

  /** Sends what waited, and from then on each message as it is added. */
  open() {
    this.#open = true;
    this.#pump();
  }

  /** Holds messages from now on (the connection is not ready); one already sending finishes or goes back. */
  close() {
    this.#open = false;
  }

  /** Drops what waits for a room the page left; one already sending stays to be answered. */
  drop(room) {
    this.#items = this.#items.filter(item => item.room !== room || item.status === 'sending');
  }

  /** Sends in order, one at a time, while open; a lost answer is repeated with the same id. */
  async #pump() {
    if (this.#pumping) {
      return;
    }

    this.#pumping = true;
    try {
      while (this.#items.length > 0 && this.#open) {
        const item = this.#items[0];
        item.status = 'sending';
        this.#onChange(item);
        try {
          const message = await this.#send(item);
          this.#items.shift();
          item.status = 'sent';
          item.message = message;
          this.#onChange(item);
          this.#onSent(message);
        } catch (error) {
          if (error instanceof ChatError) {
            this.#items.shift();
            item.status = 'failed';
            item.error = error.message;
            this.#onChange(item);
          } else {
            item.status = 'queued';
            this.#onChange(item);
            break;
          }
        }
      }
    } finally {
      this.#pumping = false;
    }
  }
}
