import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { RoomSequence } from '../wwwroot/js/room-sequence.js';

// The cases the .NET client's RoomSequence passes too, so the two cannot disagree.
const { cases } = JSON.parse(readFileSync(new URL('../../TestData/room-sequence-cases.json', import.meta.url), 'utf8'));
const messages = seqs => seqs.map(seq => ({ seq }));

for (const testCase of cases) {
  test(testCase.name, () => {
    const delivered = [];
    const sequence = new RoomSequence(message => delivered.push(message.seq));
    for (const step of testCase.steps) {
      if ('start' in step) {
        sequence.begin([], step.start);
      } else if ('rejoin' in step) {
        sequence.rejoined(step.rejoin);
      } else if ('offer' in step) {
        sequence.offerAll(messages(step.offer));
      } else {
        sequence.offerFromStore(messages(step.store), 'missed');
      }
    }

    assert.deepEqual(delivered, testCase.delivered);
    assert.equal(sequence.last, testCase.last);
    assert.equal(sequence.hasGap, testCase.hasGap);
  });
}

// Only the page shows a join's snapshot messages through its sequencer; the .NET client hands them over in RoomJoined.
test('a snapshot\'s messages are shown first, then what arrived during the join, each marked with where it came from', () => {
  const shown = [];
  const sequence = new RoomSequence((message, source) => shown.push(`${message.seq}:${source}`));
  sequence.offer({ seq: 51 });
  sequence.offer({ seq: 50 });

  sequence.begin([{ seq: 49 }, { seq: 50 }], 50);

  assert.deepEqual(shown, ['49:snapshot', '50:snapshot', '51:live']);
  assert.equal(sequence.last, 51);
  assert.equal(sequence.hasGap, false);
});
