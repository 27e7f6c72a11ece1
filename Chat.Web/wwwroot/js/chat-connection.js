import { retryDelay } from './backoff.js';

const signalR = globalThis.signalR;
const hubPath = '/hubs/chat';
const refusalMarker = 'HubException: ';

/** A rule the server enforced; `message` is its sentence, meant for the user. */
export class ChatError extends Error {
  constructor(sentence) {
    super(sentence);
    this.name = 'ChatError';
  }
}

/** The call could not reach the server (offline, or the connection dropped under it). */
export class OfflineError extends Error {
  constructor(message = 'Not connected to the chat server. Try again when the connection is back.') {
    super(message);
    this.name = 'OfflineError';
  }
}

/** The server's sentence in an error ("...HubException: <sentence>"), or null when there is none. */
export function sentenceOf(error) {
  const text = String(error?.message ?? error ?? '');
  const at = text.lastIndexOf(refusalMarker);
  return at >= 0 ? text.slice(at + refusalMarker.length).trim() : null;
}

/**
 * The hub connection and its life: connects with the user's identity (a guest's nickname and key, or a
 * signed-in user's access token, which the SignalR client puts in `access_token` on a WebSocket), reconnects forever with backoff
 * and jitter (SignalR's automatic reconnect for a dropped connection, and a loop of its own when the
 * connection closed or never opened), and reports each state for the banner. `onReady` runs after
 * every (re)connection before the state becomes `connected`; a refusal (such as a taken nickname)
 * stops the loop and goes to `onRefused` with the server's sentence.
 *
 * States: idle, connecting, reconnecting, connected, refused.
 */
export class ChatConnection {
  #hub;
  #credentials;
  #onReady;
  #onState;
  #onRefused;
  #state = 'idle';
  #attempts = 0;
  #retryTimer = null;
  #nextRetryAt = null;
  #generation = 0;
  #pendingRefusal = null;

  /**
   * @param {() => { name?: string | null, key?: string, token?: string, refusal?: string }} credentials read at
   *   each connection attempt: a guest's name and key, or a signed-in user's token; a `refusal` (the token
   *   expired) ends the attempts with that sentence instead of connecting.
   * @param {{ onReady: () => Promise<void>, onState: (state: string, detail: object) => void, onRefused: (sentence: string) => void }} callbacks
   */
  constructor(credentials, { onReady, onState, onRefused }) {
    this.#credentials = credentials;
    this.#onReady = onReady;
    this.#onState = onState;
    this.#onRefused = onRefused;
    this.#hub = new signalR.HubConnectionBuilder()
      .withUrl(this.#url(), {
        transport: signalR.HttpTransportType.WebSockets,
        skipNegotiation: true,
        accessTokenFactory: () => this.#credentials().token ?? null,
      })
      .withAutomaticReconnect({ nextRetryDelayInMilliseconds: context => this.#scheduleRetry(context) })
      .configureLogging(signalR.LogLevel.None)
      .build();

    this.#hub.onreconnecting(() => {
      // A nickname changed since the last connection must be the one asked for when coming back.
      this.#hub.baseUrl = this.#url();
      this.#setState('reconnecting');
    });
    this.#hub.onreconnected(() => this.#ready(this.#generation));
    this.#hub.onclose(error => this.#closed(error));
  }

  get state() {
    return this.#state;
  }

  get connected() {
    return this.#state === 'connected';
  }

  /** True while the hub itself is up, even before onReady finished (recovery calls go through). */
  get open() {
    return this.#hub.state === signalR.HubConnectionState.Connected;
  }

  /** When the next attempt starts (ms since the epoch), while reconnecting. */
  get nextRetryAt() {
    return this.#nextRetryAt;
  }

  /** Registers a handler for a server event. */
  on(event, handler) {
    this.#hub.on(event, handler);
  }

  /** Starts connecting; keeps trying until connected or refused. */
  start() {
    this.#attempts = 0;
    this.#connect('connecting');
  }

  /** Skips the wait before the next attempt (the banner's "Retry now", or the network coming back). */
  retryNow() {
    if (this.#state !== 'reconnecting') {
      return;
    }

    if (this.#retryTimer !== null) {
      clearTimeout(this.#retryTimer);
      this.#retryTimer = null;
      this.#connect('reconnecting');
    } else if (this.#hub.state === signalR.HubConnectionState.Reconnecting) {
      // Stopping ends SignalR's own wait; onclose then starts an attempt at once.
      this.#attempts = 0;
      this.#hub.stop();
    }
  }

  /** Calls a hub method; rejects with ChatError (the server's sentence) or OfflineError. */
  async invoke(method, ...args) {
    if (!this.open) {
      throw new OfflineError();
    }

    try {
      return await this.#hub.invoke(method, ...args);
    } catch (error) {
      const sentence = sentenceOf(error);
      throw sentence !== null ? new ChatError(sentence) : new OfflineError();
    }
  }

  /** Sends without waiting for an answer (typing notices); dropped while offline. */
  send(method, ...args) {
    if (this.connected) {
      this.#hub.send(method, ...args).catch(() => {});
    }
  }

  #url() {
    const { name, key, token } = this.#credentials();
    if (token) {
      // A signed-in user's nickname is the account's, and the account is the user: no name or guest key.
      return hubPath;
    }

    const query = new URLSearchParams({ key });
    if (name) {
      query.set('name', name);
    }

    return `${hubPath}?${query}`;
  }

  #setState(state, detail = {}) {
    this.#state = state;
    this.#onState(state, { attempts: this.#attempts, nextRetryAt: this.#nextRetryAt, ...detail });
  }

  #scheduleRetry(context) {
    // A refusal during an automatic reconnect (the nickname was taken meanwhile) must not be retried.
    const refusal = sentenceOf(context.retryReason) ?? this.#credentials().refusal ?? null;
    if (refusal !== null) {
      this.#pendingRefusal = refusal;
      return null;
    }

    return this.#nextDelay(context.previousRetryCount);
  }

  #nextDelay(previousAttempts) {
    const delay = retryDelay(previousAttempts);
    this.#attempts = previousAttempts + 1;
    this.#nextRetryAt = Date.now() + delay;
    if (this.#state === 'reconnecting') {
      this.#setState('reconnecting');
    }

    return delay;
  }

  async #connect(state) {
    const generation = ++this.#generation;
    const { refusal } = this.#credentials();
    if (refusal) {
      this.#refuse(refusal);
      return;
    }

    this.#setState(state);
    try {
      this.#hub.baseUrl = this.#url();
      await this.#hub.start();
    } catch (error) {
      if (generation !== this.#generation) {
        return;
      }

      const refusal = sentenceOf(error);
      if (refusal !== null) {
        this.#refuse(refusal);
      } else {
        this.#retryLater();
      }

      return;
    }

    await this.#ready(generation);
  }

  async #ready(generation) {
    this.#nextRetryAt = null;
    try {
      await this.#onReady();
    } catch (error) {
      // The connection dropped or was refused during recovery: onreconnecting or onclose takes over.
      if (!this.open || generation !== this.#generation) {
        return;
      }

      console.error('Recovery after connecting failed', error);
    }

    if (generation === this.#generation && this.open) {
      this.#attempts = 0;
      this.#setState('connected');
    }
  }

  #closed(error) {
    const refusal = sentenceOf(error) ?? this.#pendingRefusal;
    this.#pendingRefusal = null;
    if (refusal !== null) {
      this.#refuse(refusal);
      return;
    }

    this.#retryLater(this.#attempts === 0 ? 0 : undefined);
  }

  #refuse(sentence) {
    this.#generation++;
    clearTimeout(this.#retryTimer);
    this.#retryTimer = null;
    this.#nextRetryAt = null;
    this.#setState('refused', { sentence });
    this.#onRefused(sentence);
  }

  #retryLater(delay) {
    const wait = delay ?? this.#nextDelay(this.#attempts);
    this.#nextRetryAt = Date.now() + wait;
    this.#setState('reconnecting');
    clearTimeout(this.#retryTimer);
    this.#retryTimer = setTimeout(() => {
      this.#retryTimer = null;
      this.#connect('reconnecting');
    }, wait);
  }
}
