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
