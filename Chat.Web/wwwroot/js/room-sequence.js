/**
 * Shows one room's messages once each and in `seq` order, as docs/protocol.md ("Receiving each
 * message once, in order") asks: messages that arrive before the room's snapshot, or ahead of a gap,
 * are held until the messages before them are shown.
 */
export class RoomSequence {
  #last = 0;
  #started = false;
  #held = new Map();
  #deliver;

  /**
   * @param {(message: object, source: 'snapshot' | 'live' | 'missed') => void} deliver shows one message;
   * `source` says whether it came with the join, live, or caught up after a reconnect.
   */
  constructor(deliver) {
    this.#deliver = deliver;
  }

  /** The `seq` of the last message shown. */
  get last() {
    return this.#last;
  }

  get started() {
    return this.#started;
  }

  /** True when messages are held behind a gap that `MissedSince(room, last)` must fill. */
  get hasGap() {
    return this.#started && this.#held.size > 0;
  }

  /**
   * The first snapshot of the room: its messages are shown, `last` becomes `lastSeq`, then whatever
   * arrived while `Join` was under way follows (repeats dropped).
   */
  begin(messages, lastSeq) {
    this.#last = messages.length > 0 ? messages[0].seq - 1 : lastSeq;
    for (const message of messages) {
      this.#show(message, 'snapshot');
    }

    this.#last = Math.max(this.#last, lastSeq);
    this.#started = true;
    this.#drain();
  }

  /** Offers one message (live or caught up); returns true when it was shown now. */
  offer(message, source = 'live') {
    if (this.#started && message.seq === this.#last + 1) {
      this.#show(message, source);
      this.#drain();
      return true;
    }

    if (!this.#started || message.seq > this.#last) {
      this.#held.set(message.seq, { message, source });
    }

    return false;
  }

  /** Offers a page of messages, oldest first; returns how many were shown. */
  offerAll(messages, source = 'live') {
    const before = this.#last;
    for (const message of messages) {
      this.offer(message, source);
    }

    return this.#last - before;
  }

  /**
   * A rejoin's snapshot: the catch-up continues from what was shown, unless the room now ends before
   * it. Then its history was reset, and waiting for numbers already seen would drop every new message.
   */
  rejoined(lastSeq) {
    if (lastSeq < this.#last) {
      this.#last = lastSeq;
      this.#held.clear();
    }
  }

  /**
   * Offers a page fetched from the store (MissedSince, oldest first). The store has every message
   * there is, so when its first one is past the gap the numbers in between do not exist: step over
   * them instead of waiting for them forever. Returns how many were shown.
   */
  offerFromStore(messages, source) {
    if (this.#started && messages.length > 0 && messages[0].seq > this.#last + 1) {
      this.#last = messages[0].seq - 1;
    }

    return this.offerAll(messages, source);
  }

  #show(message, source) {
    this.#last = message.seq;
    this.#deliver(message, source);
  }

  #drain() {
    for (const seq of [...this.#held.keys()]) {
      if (seq <= this.#last) {
        this.#held.delete(seq);
      }
    }

    let next;
    while ((next = this.#held.get(this.#last + 1)) !== undefined) {
      this.#held.delete(this.#last + 1);
      this.#show(next.message, next.source);
    }
  }
}
