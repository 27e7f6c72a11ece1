import assert from 'node:assert/strict';
import { test } from 'node:test';
import { canModerate, modeWords, removesMe, roleOf, roomEventText } from '../wwwroot/js/room-roles.js';

const info = {
  room: 'general',
  topic: 'Be kind',
  owner: 'alice',
  operators: ['Bob'],
  voiced: ['carol'],
  inviteOnly: true,
  keyRequired: false,
  moderated: true,
};

test('roles come from the room info and compare names as the server does', () => {
  assert.equal(roleOf(info, 'ALICE'), 'owner');
  assert.equal(roleOf(info, 'bob'), 'operator');
  assert.equal(roleOf(info, 'Carol'), 'voiced');
  assert.equal(roleOf(info, 'dave'), null);
  assert.equal(roleOf(null, 'alice'), null);
});

test('owners, operators and administrators moderate; voiced users and members do not', () => {
  assert.equal(canModerate(info, 'alice', false), true);
  assert.equal(canModerate(info, 'bob', false), true);
  assert.equal(canModerate(info, 'carol', false), false);
  assert.equal(canModerate(info, 'dave', false), false);
  assert.equal(canModerate(info, 'dave', true), true);
});

test('modes read as words', () => {
  assert.deepEqual(modeWords(info), ['invite-only', 'moderated']);
  assert.deepEqual(modeWords({ ...info, inviteOnly: false, moderated: false, keyRequired: true }), ['needs a key']);
  assert.deepEqual(modeWords(undefined), []);
});

function change(action, target, detail, by = 'alice') {
  return { room: 'general', action, by, target, detail, info };
}

test('each operator action reads as a sentence, seen by others', () => {
  assert.equal(roomEventText(change('topic', null, 'Release day'), 'dave'), 'alice set the topic: Release day');
  assert.equal(roomEventText(change('topic', null, null), 'dave'), 'alice cleared the topic.');
  assert.equal(roomEventText(change('mode', null, '+i'), 'dave'), 'alice made #general invite-only.');
  assert.equal(roomEventText(change('mode', null, '-k'), 'dave'), 'alice removed the key of #general.');
  assert.equal(roomEventText(change('mode', null, '+m'), 'dave'), 'alice made #general moderated: only operators and voiced users can speak.');
  assert.equal(roomEventText(change('op', 'bob', null), 'dave'), 'alice made bob an operator of #general.');
  assert.equal(roomEventText(change('deop', 'bob', null), 'dave'), 'alice took operator rights in #general from bob.');
  assert.equal(roomEventText(change('voice', 'carol', null), 'dave'), 'alice gave carol voice in #general.');
  assert.equal(roomEventText(change('kick', 'bob', 'flooding'), 'dave'), 'bob was kicked by alice (flooding).');
  assert.equal(roomEventText(change('kick', 'bob', null), 'dave'), 'bob was kicked by alice.');
  assert.equal(roomEventText(change('ban', 'bob', null), 'dave'), 'bob was banned from #general by alice.');
  assert.equal(roomEventText(change('unban', 'bob', null), 'dave'), 'alice lifted the ban on bob in #general.');
});

test('the target and the actor read their own lines in the second person', () => {
  assert.equal(roomEventText(change('kick', 'Bob', 'spam'), 'bob'), 'You were kicked from #general by alice (spam).');
  assert.equal(roomEventText(change('ban', 'bob', null), 'bob'), 'You were banned from #general by alice.');
  assert.equal(roomEventText(change('op', 'bob', null), 'bob'), 'alice made you an operator of #general.');
  assert.equal(roomEventText(change('kick', 'bob', 'spam'), 'alice'), 'You kicked bob (spam).');
  assert.equal(roomEventText(change('ban', 'bob', null), 'alice'), 'You banned bob from #general.');
  assert.equal(roomEventText(change('topic', null, 'Hi'), 'alice'), 'You set the topic: Hi');
});

test('only a kick or ban aimed at this user takes the room away', () => {
  assert.equal(removesMe(change('kick', 'bob', null), 'BOB'), true);
  assert.equal(removesMe(change('ban', 'bob', null), 'bob'), true);
  assert.equal(removesMe(change('kick', 'bob', null), 'carol'), false);
  assert.equal(removesMe(change('op', 'bob', null), 'bob'), false);
  assert.equal(removesMe(change('unban', 'bob', null), 'bob'), false);
});
