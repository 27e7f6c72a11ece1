import assert from 'node:assert/strict';
import { test } from 'node:test';
import { missingArgument, parseInput } from '../wwwroot/js/commands.js';

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
  assert.equal(missingArgument(parseInput('/join')), 'Usage: /join <room>');
  assert.equal(missingArgument(parseInput('/msg bob')), 'Usage: /msg <nick> <text>');
  assert.equal(missingArgument(parseInput('/history ten')), 'Usage: /history [n]');
  assert.equal(missingArgument(parseInput('/leave')), null);
});
