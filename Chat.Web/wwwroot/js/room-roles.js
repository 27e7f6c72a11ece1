import { sameNickname } from './members.js';

/**
 * Who runs a room, read from its RoomInfo (the join snapshot's `info`, then each RoomChanged's), and the
 * lines the page shows for what operators do. Owners and operators are usernames, which are the
 * nicknames of signed-in users; voiced users are nicknames.
 */

/** A member's role in a room: 'owner', 'operator', 'voiced' or null. */
export function roleOf(info, nickname) {
  if (!info) {
    return null;
  }

  if (info.owner && sameNickname(info.owner, nickname)) {
    return 'owner';
  }

  if ((info.operators ?? []).some(name => sameNickname(name, nickname))) {
    return 'operator';
  }

  return (info.voiced ?? []).some(name => sameNickname(name, nickname)) ? 'voiced' : null;
}

/** Whether this user may run the room: its owner, one of its operators, or a server administrator. */
export function canModerate(info, nickname, administrator) {
  if (administrator) {
    return true;
  }

  const role = roleOf(info, nickname);
  return role === 'owner' || role === 'operator';
}

/** The modes as words, for the header and the settings: "invite-only, key, moderated". */
export function modeWords(info) {
  const words = [];
  if (info?.inviteOnly) {
    words.push('invite-only');
  }

  if (info?.keyRequired) {
    words.push('needs a key');
  }

  if (info?.moderated) {
    words.push('moderated');
  }

  return words;
}

const modeSentences = {
  '+i': 'made #{room} invite-only',
  '-i': 'opened #{room} to everyone',
  '+k': 'set a key to join #{room}',
  '-k': 'removed the key of #{room}',
  '+m': 'made #{room} moderated: only operators and voiced users can speak',
  '-m': 'let everyone in #{room} speak again',
};

/**
 * The line for a RoomChanged event, from the point of view of `me` (this user's nickname): "alice set
 * the topic: …", "bob was kicked by alice (spam)", "You were banned from #general by alice.".
 */
export function roomEventText(change, me) {
  const { room, action, by, target, detail } = change;
  const mine = target !== null && target !== undefined && sameNickname(target, me);
  const byMe = sameNickname(by, me);
  const who = byMe ? 'You' : by;
  const whom = mine ? 'you' : target;
  const reason = detail ? ` (${detail})` : '';
  switch (action) {
    case 'topic':
      return detail ? `${who} set the topic: ${detail}` : `${who} cleared the topic.`;
    case 'mode':
      return `${who} ${(modeSentences[detail] ?? `set mode ${detail} on #{room}`).replace('{room}', room)}.`;
    case 'op':
      return `${who} made ${whom} an operator of #${room}.`;
    case 'deop':
      return `${who} took operator rights in #${room} from ${whom}.`;
    case 'voice':
      return `${who} gave ${whom} voice in #${room}.`;
    case 'devoice':
      return `${who} took voice in #${room} from ${whom}.`;
    case 'kick':
      if (mine) {
        return `You were kicked from #${room} by ${by}${reason}.`;
      }

      return byMe ? `You kicked ${target}${reason}.` : `${target} was kicked by ${by}${reason}.`;
    case 'ban':
      if (mine) {
        return `You were banned from #${room} by ${by}${reason}.`;
      }

      return byMe ? `You banned ${target} from #${room}${reason}.` : `${target} was banned from #${room} by ${by}${reason}.`;
    case 'unban':
      return `${who} lifted the ban on ${whom} in #${room}.`;
    default:
      return `${who} changed #${room}.`;
  }
}

/** Whether the event took this user out of the room (a kick or a ban aimed at them). */
export function removesMe(change, me) {
  return (change.action === 'kick' || change.action === 'ban') && change.target != null && sameNickname(change.target, me);
}
