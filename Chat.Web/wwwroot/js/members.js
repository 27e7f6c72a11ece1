/**
 * A room's member list as the page knows it: the snapshot from `Join`, then each `MembersChanged`
 * applied in order. The server batches changes, so an event may repeat what the list already says
 * (the page's own join, a join of somebody listed, a leave of somebody not listed): such a change
 * changes nothing and is not reported. Changes held while a join is in flight are replayed on top of
 * its snapshot the same way, which ends at the right list whichever side of the snapshot they
 * happened on.
 */

/** Nicknames compare as the server compares them: NFKC, case-insensitive. */
export function sameNickname(a, b) {
  return (a ?? '').normalize('NFKC').toLowerCase() === (b ?? '').normalize('NFKC').toLowerCase();
}

/**
 * Applies `changes` ({ nickname, joined }, in the server's order) to `members` without changing it.
 * A held rename ({ oldNickname, newNickname }, from `NicknameChanged` during a join) renames the
 * member and is not reported. Returns the new list and the changes that really changed it, in order.
 */
export function applyMemberChanges(members, changes) {
  const list = [...members];
  const effective = [];
  for (const change of changes) {
    if (change.oldNickname !== undefined) {
      const renamed = list.findIndex(member => sameNickname(member, change.oldNickname));
      if (renamed >= 0) {
        list[renamed] = change.newNickname;
      }

      continue;
    }

    const index = list.findIndex(member => sameNickname(member, change.nickname));
    if (change.joined && index < 0) {
      list.push(change.nickname);
      effective.push(change);
    } else if (!change.joined && index >= 0) {
      list.splice(index, 1);
      effective.push(change);
    }
  }

  return { members: list, effective };
}

/**
 * A room's member list with the rule for joins in flight: from a room's (re)join until its snapshot,
 * changes and renames are held (a new list starts that way), then `start` takes the snapshot and
 * replays them on it. Each call returns whether the list changed and the changes to announce.
 */
export class MemberList {
  /** The list as the page knows it (arrival order; the page sorts when it shows it). */
  members = [];

  // Changes and renames waiting for a (re)join's snapshot, in order; null when none is in flight.
  #held = [];

  /** A (re)join is being asked for: what arrives from now on waits for its snapshot. */
  expectSnapshot() {
    this.#held = [];
  }

  /** A `MembersChanged` batch: held while a join is in flight, else applied. */
  apply(changes) {
    if (this.#held !== null) {
      this.#held.push(...changes);
      return { changed: false, effective: [] };
    }

    return this.#take(changes);
  }

  /** A rename: held in its place among the changes while a join is in flight, else applied (never announced). */
  rename(oldNickname, newNickname) {
    if (this.#held !== null) {
      this.#held.push({ oldNickname, newNickname });
      return { changed: false, effective: [] };
    }

    return this.#take([{ oldNickname, newNickname }]);
  }

  /** The (re)join's snapshot: its members, then what was held, replayed in order. */
  start(snapshot) {
    const held = this.#held ?? [];
    this.#held = null;
    this.members = [...snapshot];
    return this.#take(held);
  }

  #take(changes) {
    const { members, effective } = applyMemberChanges(this.members, changes);
    const changed = effective.length > 0 || members.some((member, index) => member !== this.members[index]);
    this.members = members;
    return { changed, effective };
  }
}
