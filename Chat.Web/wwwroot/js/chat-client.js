import { ChatConnection, ChatError, OfflineError } from './chat-connection.js';
import { MemberList, sameNickname } from './members.js';
import { RoomSequence } from './room-sequence.js';
import { removesMe } from './room-roles.js';

export { sameNickname };

/** The server refuses calls that come too fast with a sentence like this; such calls wait and go again. */
const slowDown = /too fast/i;
const slowDownPauseMs = 1000;
const slowDownTries = 10;

/** The most messages one History or MissedSince call returns. */
export const maxPageSize = 200;

/** The server's canonical room name: trimmed, no leading '#', NFKC, lower case. */
export function canonicalRoom(name) {
  let room = name.trim();
  if (room.startsWith('#')) {
    room = room.slice(1);
  }

  return room.normalize('NFKC').toLowerCase();
}

function newMessageId() {
  return crypto.randomUUID().replaceAll('-', '');
}

/** A room's settings before the server said anything about them: nobody owns it, no topic, no modes. */
export function unownedRoom(room) {
  return { room, topic: null, owner: null, operators: [], voiced: [], inviteOnly: false, keyRequired: false, moderated: false };
}

/** One room this page is in: members, settings, the seq pipeline, and how far back its history is shown. */
class Room {
  constructor(name, deliver, key) {
    this.name = name;
    // The key it was joined with (+k), so a rejoin after a reconnect gets in again.
    this.key = key;
    this.info = unownedRoom(name);
    // Changes that arrive while its (re)join is in flight are held by the list and replayed on the snapshot.
    this.memberList = new MemberList();
    this.oldestSeq = null;
    this.sequence = new RoomSequence((message, source) => deliver(this, message, source));
    this.fillingGap = false;
  }

  get members() {
    return this.memberList.members;
  }
}

/**
 * The chat as the page sees it: the rooms it is in, each room's messages once and in order (live,
 * from history, or caught up after a reconnect), presence, the lobby, and an outbox that holds sends
 * while offline and repeats unanswered ones with the same id. Events go to the `events` callbacks.
 */
export class ChatClient {
  #connection;
  #identity;
  #events;
  #rooms = new Map();
  #outbox = [];
  #pumping = false;
  #ready = false;
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
    this.#connection = new ChatConnection(
      () => session() ?? { name: identity.nickname, key: identity.key },
      {
        onReady: () => this.#recover(),
        onState: (state, detail) => {
          if (state !== 'connected') {
            this.#ready = false;
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
    on('RoomChanged', change => this.#roomChanged(change));
    on('Invited', invitation => events.invited(invitation));
  }

  get connection() {
    return this.#connection;
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
    const item = { id: newMessageId(), room, text, status: 'queued' };
    this.#outbox.push(item);
    this.#events.outbox(item);
    this.#pump();
    return item;
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

  /** Sets the room's topic (an empty text clears it); operators only. */
  async setTopic(room, topic) {
    return this.#takeInfo(await this.#call('SetTopic', room, topic));
  }

  /** One of +i, -i, +k (with the key), -k, +m, -m; operators only. */
  async setMode(room, mode, key = null) {
    return this.#takeInfo(await this.#call('SetMode', room, mode, key));
  }

  kick(room, nickname, reason = null) {
    return this.#call('Kick', room, nickname, reason);
  }

  /** ban, unban, op, deop, voice, devoice or invite, by the command's name. */
  role(action, room, nickname) {
    const method = { ban: 'Ban', unban: 'Unban', op: 'Op', deop: 'Deop', voice: 'Voice', devoice: 'Devoice', invite: 'Invite' }[action];
    if (method === undefined) {
      throw new Error(`Unknown room action ${action}`);
    }

    return this.#call(method, room, nickname);
  }

  /** The room's settings with its key, bans and invitations; operators only. */
  roomSettings(room) {
    return this.#call('GetRoomSettings', room);
  }

  #joinCall(name, key) {
    return key ? this.#call('JoinWithKey', name, key) : this.#call('Join', name);
  }

  /** A RoomInfo the server answered with: the room's settings now. */
  #takeInfo(info) {
    const room = info && this.#rooms.get(info.room);
    if (room) {
      room.info = info;
      this.#events.roomInfo(room.name);
    }

    return info;
  }

  /**
   * `RoomChanged`: the room's settings after an operator's action. A kick or ban of this user comes after
   * the server took every connection of theirs out of the room, so the page forgets it, then says why.
   */
  #roomChanged(change) {
    const room = this.#rooms.get(change.room);
    if (!room) {
      return;
    }

    if (removesMe(change, this.nickname)) {
      this.#forget(room.name);
      this.#events.roomChanged(change, { removed: true });
      return;
    }

    room.info = change.info ?? room.info;
    this.#events.roomChanged(change, { removed: false });
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

    this.#ready = true;
    this.#pump();
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

  /** Sends the outbox in order, one at a time, while connected; a lost answer is repeated with the same id. */
  async #pump() {
    if (this.#pumping) {
      return;
    }

    this.#pumping = true;
    try {
      while (this.#outbox.length > 0 && this.#ready) {
        const item = this.#outbox[0];
        item.status = 'sending';
        this.#events.outbox(item);
        try {
          const message = await this.#call('SendMessage', item.room, item.text, item.id);
          this.#outbox.shift();
          item.status = 'sent';
          item.message = message;
          this.#events.outbox(item);
          this.#receive(message);
        } catch (error) {
          if (error instanceof ChatError) {
            this.#outbox.shift();
            item.status = 'failed';
            item.error = error.message;
            this.#events.outbox(item);
          } else {
            item.status = 'queued';
            this.#events.outbox(item);
            break;
          }
        }
      }
    } finally {
      this.#pumping = false;
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
      this.#outbox = this.#outbox.filter(item => item.room !== name || item.status === 'sending');
      this.#events.left(name);
    }
  }
}
