import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyMemberChanges, sameNickname } from '../wwwroot/js/members.js';

const join = nickname => ({ nickname, joined: true });
const leave = nickname => ({ nickname, joined: false });

test('a join of somebody new adds them at the end and is reported', () => {
  const members = ['Alice'];
  const result = applyMemberChanges(members, [join('Bob')]);
  assert.deepEqual(result, { members: ['Alice', 'Bob'], effective: [join('Bob')] });
  assert.deepEqual(members, ['Alice'], 'the list passed in is not changed');
});

test('the page\'s own join, already in its snapshot, changes nothing', () => {
  assert.deepEqual(applyMemberChanges(['Alice', 'Bob'], [join('Alice')]), { members: ['Alice', 'Bob'], effective: [] });
});

test('a join of somebody already listed changes nothing', () => {
  assert.deepEqual(applyMemberChanges(['Alice', 'Bob'], [join('Bob'), join('Carol')]),
    { members: ['Alice', 'Bob', 'Carol'], effective: [join('Carol')] });
});

test('a leave of somebody not listed changes nothing', () => {
  assert.deepEqual(applyMemberChanges(['Alice'], [leave('Bob')]), { members: ['Alice'], effective: [] });
});

test('a join then a leave in one batch are both reported and end where they started', () => {
  assert.deepEqual(applyMemberChanges(['Alice'], [join('Bob'), leave('Bob')]),
    { members: ['Alice'], effective: [join('Bob'), leave('Bob')] });
});

test('a leave then a rejoin in one batch are both reported and keep the member', () => {
  assert.deepEqual(applyMemberChanges(['Alice', 'Bob'], [leave('Bob'), join('Bob')]),
    { members: ['Alice', 'Bob'], effective: [leave('Bob'), join('Bob')] });
});

test('nicknames match as sameNickname matches them: case and NFKC forms', () => {
  assert.equal(sameNickname('BOB', 'bob'), true);
  assert.equal(sameNickname('ｂｏｂ', 'Bob'), true, 'full-width letters are NFKC-equal');
  assert.equal(sameNickname('bob', 'bobby'), false);

  assert.deepEqual(applyMemberChanges(['Alice', 'Bob'], [join('BOB')]), { members: ['Alice', 'Bob'], effective: [] });
  assert.deepEqual(applyMemberChanges(['Alice', 'Bob'], [leave('bob')]), { members: ['Alice'], effective: [leave('bob')] });
  assert.deepEqual(applyMemberChanges(['Alice'], [leave('ALICE'), join('alice')]),
    { members: ['alice'], effective: [leave('ALICE'), join('alice')] });
});

test('changes held during a join, replayed over its snapshot, end at the right list whichever side they fell on', () => {
  // Held while Join was in flight: the page's own join and Bob's (both before the snapshot was taken),
  // Carol's leave (before), then Dave's join and Bob's leave (after).
  const held = [join('Alice'), join('Bob'), leave('Carol'), join('Dave'), leave('Bob')];
  const snapshot = ['Alice', 'Bob', 'Erin'];

  assert.deepEqual(applyMemberChanges(snapshot, held),
    { members: ['Alice', 'Erin', 'Dave'], effective: [join('Dave'), leave('Bob')] });

  // The same changes over a snapshot taken earlier (before any of them) end at the same list.
  const earlier = ['Bob', 'Carol', 'Erin'];
  assert.deepEqual(new Set(applyMemberChanges(earlier, held).members), new Set(['Alice', 'Erin', 'Dave']));
});

test('no changes leave the list as it is', () => {
  assert.deepEqual(applyMemberChanges(['Alice'], []), { members: ['Alice'], effective: [] });
});

test('a rename held during a join renames the member in the snapshot without a notice', () => {
  const held = [{ nickname: 'Bob', joined: true }, { oldNickname: 'Bob', newNickname: 'Robert' }];
  const { members, effective } = applyMemberChanges(['Alice', 'Bob'], held);
  assert.deepEqual(members, ['Alice', 'Robert']);
  assert.deepEqual(effective, []);
});
