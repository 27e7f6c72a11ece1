import assert from 'node:assert/strict';
import { test } from 'node:test';
import { unownedRoom } from '../wwwroot/js/chat-room.js';
import { RoomModeration } from '../wwwroot/js/room-moderation.js';

/** A RoomModeration over one room, 'general', with a fake connection, hub and page that record what happens. */
function moderation(me = 'alice') {
  const handlers = new Map();
  const connection = { on: (name, handler) => handlers.set(name, handler) };
  const calls = [];
  const answers = new Map();
  const call = async (method, ...args) => {
    calls.push([method, ...args]);
    return answers.get(method) ?? null;
  };
  const rooms = new Map([['general', { name: 'general', info: unownedRoom('general') }]]);
  const forgotten = [];
  const reported = [];
  const events = {
    roomInfo: room => reported.push(['roomInfo', room]),
    roomChanged: (change, how) => reported.push(['roomChanged', change.action, how]),
    invited: invitation => reported.push(['invited', invitation.room]),
  };
  const roomsView = {
    room: name => rooms.get(name),
    forget: name => {
      rooms.delete(name);
      forgotten.push(name);
    },
    nickname: () => me,
  };

  return {
    moderation: new RoomModeration(connection, call, roomsView, events),
    raise: (name, payload) => handlers.get(name)(payload),
    calls,
    answers,
    rooms,
    forgotten,
    reported,
  };
}

test('each member command calls its hub method, and an unknown one calls nothing', async () => {
  const { moderation: subject, calls } = moderation();
  for (const action of ['ban', 'unban', 'op', 'deop', 'voice', 'devoice', 'invite']) {
    await subject.role(action, 'general', 'bob');
  }

  await subject.kick('general', 'bob');
  await subject.kick('general', 'carol', 'spam');
  await subject.roomSettings('general');
  assert.deepEqual(calls, [
    ['Ban', 'general', 'bob'],
    ['Unban', 'general', 'bob'],
    ['Op', 'general', 'bob'],
    ['Deop', 'general', 'bob'],
    ['Voice', 'general', 'bob'],
    ['Devoice', 'general', 'bob'],
    ['Invite', 'general', 'bob'],
    ['Kick', 'general', 'bob', null],
    ['Kick', 'general', 'carol', 'spam'],
    ['GetRoomSettings', 'general'],
  ]);
  assert.throws(() => subject.role('mute', 'general', 'bob'), /Unknown room action mute/);
  assert.equal(calls.length, 10);
});

test('the settings a topic or mode change answers with become the room\'s, for a room the page is in', async () => {
  const { moderation: subject, calls, answers, rooms, reported } = moderation();
  const topical = { ...unownedRoom('general'), topic: 'Be kind' };
  answers.set('SetTopic', topical);
  assert.equal(await subject.setTopic('general', 'Be kind'), topical);
  assert.equal(rooms.get('general').info, topical);

  const elsewhere = { ...unownedRoom('random'), moderated: true };
  answers.set('SetMode', elsewhere);
  assert.equal(await subject.setMode('random', '+m'), elsewhere);
  await subject.setMode('general', '+k', 'secret');

  assert.deepEqual(calls.slice(1), [['SetMode', 'random', '+m', null], ['SetMode', 'general', '+k', 'secret']]);
  assert.deepEqual(reported, [['roomInfo', 'general']]);
});

test('RoomChanged updates the room, or forgets it first when it kicks or bans this user', () => {
  const { raise, rooms, forgotten, reported } = moderation('Alice');
  const voiced = { ...unownedRoom('general'), voiced: ['bob'] };
  raise('RoomChanged', { room: 'general', action: 'voice', by: 'carol', target: 'bob', info: voiced });
  assert.equal(rooms.get('general').info, voiced);

  raise('RoomChanged', { room: 'general', action: 'topic', by: 'carol', target: null, info: null });
  assert.equal(rooms.get('general').info, voiced);

  raise('RoomChanged', { room: 'random', action: 'kick', by: 'carol', target: 'alice', info: null });
  raise('RoomChanged', { room: 'general', action: 'kick', by: 'carol', target: 'alice', info: null });
  assert.deepEqual(forgotten, ['general']);
  assert.deepEqual(reported, [
    ['roomChanged', 'voice', { removed: false }],
    ['roomChanged', 'topic', { removed: false }],
    ['roomChanged', 'kick', { removed: true }],
  ]);
});

test('an invitation goes to the page as it came', () => {
  const { raise, reported } = moderation();
  raise('Invited', { room: 'secret', by: 'carol' });
  assert.deepEqual(reported, [['invited', 'secret']]);
});
