import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { MemberList, applyMemberChanges, sameNickname } from '../wwwroot/js/members.js';

// The cases the .NET client's RoomMembers passes too, so the two cannot disagree.
const { cases } = JSON.parse(readFileSync(new URL('../../TestData/member-list-cases.json', import.meta.url), 'utf8'));
const changes = list => list.map(change => 'join' in change
  ? { nickname: change.join, joined: true }
  : { nickname: change.leave, joined: false });
// Lists compare as sets: the page keeps arrival order and sorts when it shows the list.
const sorted = list => [...list].sort();

for (const testCase of cases) {
  test(testCase.name, () => {
    const list = new MemberList();
    testCase.steps.forEach((step, index) => {
      const message = `step ${index}`;
      let effective = [];
      if ('apply' in step) {
        effective = list.apply(changes(step.apply)).effective;
      } else if ('rename' in step) {
        effective = list.rename(...step.rename).effective;
      } else if ('rejoin' in step) {
        list.expectSnapshot();
      } else if ('start' in step) {
        effective = list.start(step.start).effective;
      } else {
        throw new Error(`unknown ${message}`);
      }

      assert.deepEqual(effective, changes(step.effective ?? []), message);
      if ('members' in step) {
        assert.deepEqual(sorted(list.members), sorted(step.members), message);
      }
    });

    assert.deepEqual(sorted(list.members), sorted(testCase.members));
  });
}

// Only the page's function takes and returns lists, in arrival order.
test('a join of somebody new adds them at the end and the list passed in is not changed', () => {
  const members = ['Alice', 'Carol'];
  const result = applyMemberChanges(members, [{ nickname: 'Bob', joined: true }]);
  assert.deepEqual(result.members, ['Alice', 'Carol', 'Bob']);
  assert.deepEqual(members, ['Alice', 'Carol']);
});

test('a rename keeps the member\'s place', () => {
  const { members } = applyMemberChanges(['Alice', 'Bob', 'Carol'], [{ oldNickname: 'bob', newNickname: 'Robert' }]);
  assert.deepEqual(members, ['Alice', 'Robert', 'Carol']);
});

test('sameNickname compares after NFKC and lower-casing', () => {
  assert.equal(sameNickname('BOB', 'bob'), true);
  assert.equal(sameNickname('ｂｏｂ', 'Bob'), true, 'full-width letters are NFKC-equal');
  assert.equal(sameNickname('bob', 'bobby'), false);
});
