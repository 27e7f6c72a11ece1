import { removesMe } from './room-roles.js';

/** The hub method behind each command that names one member, by the command's name. */
const memberMethods = { ban: 'Ban', unban: 'Unban', op: 'Op', deop: 'Deop', voice: 'Voice', devoice: 'Devoice', invite: 'Invite' };

/**
 * What operators ask of the server (topic, modes, kick, ban, op, voice, invitations, the settings with
 * their key and lists) and what the page hears of operators' actions: `RoomChanged` with a room's
 * settings after one, and `Invited`. The server decides who may do what; a refusal comes back as the
 * call's ChatError. Kept apart from ChatClient, which owns the rooms: this reaches them only through
 * `rooms`.
 */
export class RoomModeration {
  #call;
  #rooms;
  #events;

  /**
   * @param connection the ChatConnection whose events this listens to.
   * @param call invokes a hub method, as ChatClient does (waiting out the rate limit).
   * @param rooms the client's rooms: `room(name)`, `forget(name)` and `nickname()`, this user's nickname.
   * @param events the page's callbacks: `roomInfo`, `roomChanged` and `invited`.
   */
  constructor(connection, call, rooms, events) {
    this.#call = call;
    this.#rooms = rooms;
    this.#events = events;
    connection.on('RoomChanged', change => this.#roomChanged(change));
    connection.on('Invited', invitation => events.invited(invitation));
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
    const method = memberMethods[action];
    if (method === undefined) {
      throw new Error(`Unknown room action ${action}`);
    }

    return this.#call(method, room, nickname);
  }

  /** The room's settings with its key, bans and invitations; operators only. */
  roomSettings(room) {
    return this.#call('GetRoomSettings', room);
  }

  /** A RoomInfo the server answered with: the room's settings now. */
  #takeInfo(info) {
    const room = info && this.#rooms.room(info.room);
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
    const room = this.#rooms.room(change.room);
    if (!room) {
      return;
    }

    if (removesMe(change, this.#rooms.nickname())) {
      this.#rooms.forget(room.name);
      this.#events.roomChanged(change, { removed: true });
      return;
    }

    room.info = change.info ?? room.info;
    this.#events.roomChanged(change, { removed: false });
  }
}
