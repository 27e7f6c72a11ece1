import { ChatConnection, ChatError, OfflineError } from './chat-connection.js';
import { Room, canonicalRoom, unownedRoom } from './chat-room.js';
import { sameNickname } from './members.js';
import { Outbox, newMessageId } from './outbox.js';
import { RoomModeration } from './room-moderation.js';

export { sameNickname };

/** The server refuses calls that come too fast with a sentence like this; such calls wait and go again. */
const slowDown = /too fast/i;
const slowDownPauseMs = 1000;
const slowDownTries = 10;

/** The most messages one History or MissedSince call returns. */
export const maxPageSize = 200;

/**
 * The chat as the page sees it: the rooms it is in, each room's messages once and in order (live,
 * from history, or caught up after a reconnect), presence, the lobby, and an outbox that holds sends
 * while offline and repeats unanswered ones with the same id. Events go to the `events` callbacks.
 */
export class ChatClient {
  #connection;
  #moderation;
  #identity;
  #events;
  #rooms = new Map();
  #outbox;
  #directsSeen = new Set();
  #lastTyping = new Map();
  nickname = null;

  /** What `Me` said: whether this connection is signed in, and whether it is a server administrator. */
  profile = { signedIn: false, administrator: false };

  /**
   * @param identity the guest's key and nickname (kept across visits).
   * @param events what the page does with each thing the client reports.
   * @param {() => { token?: string, refusal?: string } | null} session the signed-in user's token (or why
   *   it cannot be used), read at each connection attempt; null connects as a guest.
   */
  constructor(identity, events, session = () => null) {
    this.#identity = identity;
    this.#events = events;
    this.#outbox = new Outbox(item => this.#call('SendMessage', item.room, item.text, item.id), {
      onChange: item => events.outbox(item),
      onSent: message => this.#receive(message),
    });
    this.#connection = new ChatConnection(
      () => session() ?? { name: identity.nickname, key: identity.key },
      {
        onReady: () => this.#recover(),
        onState: (state, detail) => {
          if (state !== 'connected') {
            this.#outbox.close();
          }

          events.state(state, detail);
        },
        onRefused: sentence => events.refused(sentence),
      });

    const on = (name, handler) => this.#connection.on(name, handler);
    on('ReceiveMessage', message => this.#receive(message));
    on('ReceiveDirect', message => this.#receiveDirect(message));
    on('MembersChanged', change => this.#membersChanged(change));
    on('UserTyping', presence => this.#rooms.has(presence.room) && events.typing(presence));
    on('NicknameChanged', change => this.#renamed(change));
    on('RoomsUpdated', rooms => events.lobby(rooms));
    on('Notice', notice => events.notice(notice));
    on('RoomClosed', closure => this.#closed(closure));
    // Operators' calls and the events of their actions are RoomModeration's; it reaches the rooms, which stay here, only through these.
    this.#moderation = new RoomModeration(this.#connection, (...args) => this.#call(...args), {
      room: name => this.#rooms.get(name),
      forget: name => this.#forget(name),
      nickname: () => this.nickname,
    }, events);
  }

  get connection() {
    return this.#connection;
  }

  /** What operators do: topic, modes, kick, ban, op, voice, invitations, and the room's settings. */
  get moderation() {
    return this.#moderation;
  }

  /** The rooms this page is in, in the order they were joined. */
  get rooms() {
    return [...this.#rooms.keys()];
  }

  room(name) {
    return this.#rooms.get(name);
  }

  /** Connects (again, after a refusal) and keeps the connection up from then on. */
  start() {
    this.#connection.start();
  }

  /**
   * Joins a room (harmless when already in it), with its key when it has one (+k); its snapshot goes to
   * `events.joined`. Returns the room's name.
   */
  async join(name, key = null) {
    const wanted = canonicalRoom(name);
    if (this.#rooms.has(wanted)) {
      return wanted;
    }

    // Registered before Join is called: messages and member changes that arrive before its answer are held, not lost.
    const room = new Room(wanted, (...args) => this.#deliver(...args), key);
    this.#rooms.set(wanted, room);
    let snapshot;
    try {
      snapshot = await this.#joinCall(name, key);
    } catch (error) {
      this.#rooms.delete(wanted);
      throw error;
    }

    if (snapshot.room !== wanted) {
      this.#rooms.delete(wanted);
      if (this.#rooms.has(snapshot.room)) {
        return snapshot.room;
      }

      room.name = snapshot.room;
      this.#rooms.set(snapshot.room, room);
    }

    room.memberList.members = [...snapshot.members];
    room.info = snapshot.info ?? unownedRoom(room.name);
    room.oldestSeq = snapshot.messages.length > 0 ? snapshot.messages[0].seq : snapshot.lastSeq + 1;
    this.#events.joined(room.name, snapshot);
    room.sequence.begin(snapshot.messages, snapshot.lastSeq);
    // After the history, so "X joined" notices for changes held meanwhile follow it.
    this.#startMembers(room, snapshot.members);
    this.#fillGap(room);
    return room.name;
  }

  async leave(name) {
    const room = canonicalRoom(name);
    await this.#call('Leave', name);
    this.#forget(room);
  }

  /** Leaves every room; returns the rooms left. */
  async leaveAll() {
    const left = await this.#call('LeaveAll');
    for (const room of [...this.#rooms.keys()]) {
      this.#forget(room);
    }

    return left;
  }

  /**
   * Queues a message for a room and sends it as soon as the connection allows; the outbox item goes
   * to `events.outbox` as it is queued, sent or refused.
   */
  send(room, text) {
    // Sending ends a burst of typing; the next keystroke may say so again at once.
    this.#lastTyping.delete(room);
    return this.#outbox.add(room, text);
  }

  sendDirect(nickname, text) {
    return this.#call('SendDirect', nickname, text, newMessageId());
  }

  async setNickname(name) {
    const nickname = await this.#call('SetNickname', name);
    this.#setOwnNickname(nickname);
    return nickname;
  }

  /**
   * Tells the room this user is typing, at most once a second. The server passes on one notice per
   * user and room every 2 seconds and drops the rest, so asking a little more often than that keeps
   * the others' "is typing…" from lapsing while the user types on.
   */
  typing(room) {
    const now = Date.now();
    if (now - (this.#lastTyping.get(room) ?? 0) < 1000) {
      return;
    }

    this.#lastTyping.set(room, now);
    this.#connection.send('Typing', room);
  }

  /** Loads up to `limit` messages older than the oldest shown; returns them oldest first. */
  async loadOlder(name, limit = 50) {
    const room = this.#rooms.get(name);
    if (!room || room.oldestSeq === null || room.oldestSeq <= 1) {
      return [];
    }

    const messages = await this.#call('History', name, room.oldestSeq, limit);
    const older = messages.filter(message => message.seq < room.oldestSeq);
    if (older.length > 0) {
      room.oldestSeq = older[0].seq;
    } else {
      room.oldestSeq = 1;
    }

    return older;
  }

  listRooms() {
    return this.#call('ListRooms');
  }

  myRooms() {
    return this.#call('MyRooms');
  }

  who(room) {
    return this.#call('Who', room);
  }

  help() {
    return this.#call('Help');
  }

  #joinCall(name, key) {
    return key ? this.#call('JoinWithKey', name, key) : this.#call('Join', name);
  }

  /**
   * Calls a hub method; a call refused for coming too fast (the server's rate limit) waits a moment and
   * goes again, so a burst of joins after a reconnect or of sends from the outbox is slowed, not lost.
   */
  async #call(method, ...args) {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.#connection.invoke(method, ...args);
      } catch (error) {
        if (!(error instanceof ChatError) || !slowDown.test(error.message) || attempt >= slowDownTries) {
          throw error;
        }

        await new Promise(resolve => setTimeout(resolve, slowDownPauseMs * attempt));
      }
    }
  }

  /** After every (re)connection: who am I, the lobby, rejoin and catch up each room, then send what waited. */
  async #recover() {
    const me = await this.#call('Me');
    this.profile = { signedIn: Boolean(me.signedIn), administrator: Boolean(me.administrator) };
    this.#setOwnNickname(me.nickname);
    this.#events.lobby(await this.#call('WatchLobby'));

    const rejoined = [];
    for (const room of [...this.#rooms.values()]) {
      if (!room.sequence.started) {
        continue;
      }

      try {
        // Changes from before this Join belong to the lost connection; the snapshot covers them.
        room.memberList.expectSnapshot();
        const snapshot = await this.#joinCall(room.name, room.key);
        room.info = snapshot.info ?? room.info;
        room.sequence.rejoined(snapshot.lastSeq);
        if (!this.#startMembers(room, snapshot.members)) {
          this.#events.members(room.name, room.members);
        }

        rejoined.push(room);
      } catch (error) {
        if (!(error instanceof ChatError)) {
          throw error;
        }

        this.#forget(room.name);
        this.#events.error(room.name, error.message);
      }
    }

    this.#outbox.open();
    for (const room of rejoined) {
      await this.#catchUp(room, 'missed');
    }
  }

  /** MissedSince from the last seq shown, page after page, until a page is not full; returns how many were shown. */
  async #catchUp(room, source) {
    let shown = 0;
    while (this.#rooms.get(room.name) === room) {
      const page = await this.#call('MissedSince', room.name, room.sequence.last);
      shown += room.sequence.offerFromStore(page, source);
      if (page.length < maxPageSize) {
        break;
      }
    }

    return shown;
  }

  async #fillGap(room) {
    if (room.fillingGap || !room.sequence.hasGap) {
      return;
    }

    room.fillingGap = true;
    try {
      while (room.sequence.hasGap && this.#connection.open && this.#rooms.get(room.name) === room) {
        // A pass that shows nothing has nothing more to find now; the next message tries again.
        if (await this.#catchUp(room, 'live') === 0) {
          break;
        }
      }
    } catch (error) {
      // The connection dropped; the catch-up after reconnecting fills the gap.
      if (!(error instanceof OfflineError)) {
        console.error('Filling a gap failed', error);
      }
    } finally {
      room.fillingGap = false;
    }
  }

  #receive(message) {
    const room = this.#rooms.get(message.room);
    if (!room) {
      return;
    }

    room.sequence.offer(message);
    if (room.sequence.hasGap) {
      this.#fillGap(room);
    }
  }

  #deliver(room, message, source) {
    if (this.#rooms.get(room.name) === room) {
      this.#events.message(room.name, message, source);
    }
  }

  #receiveDirect(message) {
    if (this.#directsSeen.has(message.id)) {
      return;
    }

    this.#directsSeen.add(message.id);
    this.#events.direct(message, sameNickname(message.from, this.nickname));
  }

  /** `MembersChanged`: held while the room's (re)join is in flight, else applied at once. */
  #membersChanged(change) {
    const room = this.#rooms.get(change.room);
    if (room) {
      this.#announce(room, room.memberList.apply(change.changes));
    }
  }

  /**
   * Takes a (re)join snapshot's members, then replays the changes held while it was in flight.
   * Returns whether any of them changed the list (and so `events.members` was raised).
   */
  #startMembers(room, members) {
    return this.#announce(room, room.memberList.start(members));
  }

  /**
   * Announces what changed the list: each effective join or leave, then the list (a rename changes the
   * list without an announcement of its own). Returns whether the list changed.
   */
  #announce(room, { changed, effective }) {
    for (const { nickname, joined } of effective) {
      this.#events.presence({ room: room.name, nickname }, joined);
    }

    if (changed) {
      this.#events.members(room.name, room.members);
    }

    return changed;
  }

  #renamed(change) {
    if (sameNickname(change.oldNickname, this.nickname)) {
      this.#setOwnNickname(change.newNickname);
    }

    const rooms = [];
    for (const room of this.#rooms.values()) {
      // While its join is in flight the list holds the rename and replays it on the snapshot in its place.
      if (this.#announce(room, room.memberList.rename(change.oldNickname, change.newNickname))) {
        rooms.push(room.name);
      }
    }

    this.#events.renamed(change, rooms);
  }

  #setOwnNickname(nickname) {
    this.nickname = nickname;
    // A signed-in user's nickname is the account's; the guest nickname stays for the next guest visit.
    if (!this.profile.signedIn) {
      this.#identity.nickname = nickname;
    }

    this.#events.nickname(nickname);
  }

  /** An administrator closed a room: the server already took this page out of it; say so where the reader is. */
  #closed(closure) {
    this.#forget(closure.room);
    this.#events.notice({ kind: 'room-closed', text: closure.text });
  }

  #forget(name) {
    if (this.#rooms.delete(name)) {
      this.#outbox.drop(name);
      this.#events.left(name);
    }
  }
}
