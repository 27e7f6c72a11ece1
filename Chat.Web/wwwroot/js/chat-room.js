import { MemberList } from './members.js';
import { RoomSequence } from './room-sequence.js';

/**
 * A room as the page's chat client holds it: the name the server gives it, its settings before the
 * server says anything, and the state of one room the page is in (ChatClient keeps them by name).
 */

/** The server's canonical room name: trimmed, no leading '#', NFKC, lower case. */
export function canonicalRoom(name) {
  let room = name.trim();
  if (room.startsWith('#')) {
    room = room.slice(1);
  }

  return room.normalize('NFKC').toLowerCase();
}

/** A room's settings before the server said anything about them: nobody owns it, no topic, no modes. */
export function unownedRoom(room) {
  return { room, topic: null, owner: null, operators: [], voiced: [], inviteOnly: false, keyRequired: false, moderated: false };
}

/** One room this page is in: members, settings, the seq pipeline, and how far back its history is shown. */
export class Room {
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
