import assert from 'node:assert/strict';
import { test } from 'node:test';
import { joinArguments, kickArguments, missingArgument, modeArguments, parseInput, roleCommands } from '../wwwroot/js/commands.js';

test('plain text is a message; a doubled slash sends a leading slash', () => {
  assert.deepEqual(parseInput('  hello  '), { kind: 'message', text: 'hello' });
  assert.deepEqual(parseInput('//shrug'), { kind: 'message', text: '/shrug' });
});

test('commands keep their arguments and the rest of the line', () => {
  const command = parseInput('/MSG bob hi  there\nsecond line');
  assert.equal(command.kind, 'command');
  assert.equal(command.name, 'msg');
  assert.deepEqual(command.args.slice(0, 1), ['bob']);
  assert.equal(command.rest, 'bob hi  there\nsecond line');
});

test('unknown commands and missing arguments are reported', () => {
  assert.deepEqual(parseInput('/frobnicate now'), { kind: 'unknown', name: 'frobnicate' });
  assert.equal(missingArgument(parseInput('/switch')), 'Usage: /switch <room>');
  assert.equal(missingArgument(parseInput('/msg bob')), 'Usage: /msg <nick> <text>');
  assert.equal(missingArgument(parseInput('/history ten')), 'Usage: /history [n]');
  assert.equal(missingArgument(parseInput('/leave')), null);
});

test('/join takes a room and, for a room with a key, the key', () => {
  const command = parseInput('/join secret-club hunter2');
  assert.equal(missingArgument(command), null);
  assert.deepEqual(joinArguments(command.args), { room: 'secret-club', key: 'hunter2' });
  assert.deepEqual(joinArguments(parseInput('/join lobby').args), { room: 'lobby', key: null });
  assert.equal(missingArgument(parseInput('/join')), 'Usage: /join <room> [key]');
  assert.equal(missingArgument(parseInput('/join a b c')), '/join takes a room name and, for a room with a key, the key; neither has spaces.');
});

test('/topic takes the rest of the line, and nothing clears the topic', () => {
  const command = parseInput('/topic  Release day:   be nice ');
  assert.equal(command.name, 'topic');
  assert.equal(command.rest, 'Release day:   be nice');
  assert.equal(missingArgument(command), null);
  assert.equal(parseInput('/topic').rest, '');
  assert.equal(missingArgument(parseInput('/topic')), null);
});

test('/kick takes a nickname and an optional reason with its spaces', () => {
  assert.deepEqual(kickArguments(parseInput('/kick bob  flooding the room ').rest), { nickname: 'bob', reason: 'flooding the room' });
  assert.deepEqual(kickArguments(parseInput('/KICK bob').rest), { nickname: 'bob', reason: null });
  assert.equal(missingArgument(parseInput('/kick')), '/kick needs a nickname, and may give a reason after it.');
});

test('ban, unban, op, deop, voice, devoice and invite take exactly one nickname', () => {
  for (const name of roleCommands) {
    assert.equal(parseInput(`/${name} bob`).kind, 'command');
    assert.equal(missingArgument(parseInput(`/${name} bob`)), null);
    assert.equal(missingArgument(parseInput(`/${name}`)), `/${name} needs a nickname.`);
    assert.equal(missingArgument(parseInput(`/${name} bob carol`)), `/${name} takes one nickname; nicknames have no spaces.`);
  }

  assert.deepEqual(roleCommands, ['ban', 'unban', 'op', 'deop', 'voice', 'devoice', 'invite']);
});

test('/mode takes one of the six modes, and +k takes the key', () => {
  for (const mode of ['+i', '-i', '-k', '+m', '-m']) {
    assert.equal(missingArgument(parseInput(`/mode ${mode}`)), null, mode);
    assert.deepEqual(modeArguments(parseInput(`/mode ${mode}`).args), { mode, key: null });
  }

  assert.deepEqual(modeArguments(parseInput('/mode +k sesame').args), { mode: '+k', key: 'sesame' });
  assert.equal(missingArgument(parseInput('/mode +k sesame')), null);
  assert.equal(missingArgument(parseInput('/mode +k')), '/mode +k needs the key: /mode +k <key>.');
  for (const wrong of ['/mode', '/mode +x', '/mode +i +m', '/mode -k sesame', '/mode i']) {
    assert.equal(missingArgument(parseInput(wrong)), '/mode takes one of +i, -i, +k <key>, -k, +m or -m.', wrong);
  }
});
