import assert from 'node:assert/strict';
import { test } from 'node:test';
import { RoomSequence } from '../wwwroot/js/room-sequence.js';

function recorder() {
  const shown = [];
  const sequence = new RoomSequence((message, source) => shown.push(`${message.seq}:${source}`));
  return { shown, sequence };
}

test('messages that arrive before the snapshot are held, repeats dropped, the rest shown after it', () => {
  const { shown, sequence } = recorder();
  sequence.offer({ seq: 51 });
  sequence.offer({ seq: 50 });

  sequence.begin([{ seq: 49 }, { seq: 50 }], 50);

  assert.deepEqual(shown, ['49:snapshot', '50:snapshot', '51:live']);
  assert.equal(sequence.last, 51);
  assert.equal(sequence.hasGap, false);
});

test('an empty room starts at its last seq', () => {
  const { shown, sequence } = recorder();
  sequence.begin([], 7);
  sequence.offer({ seq: 8 });
  assert.deepEqual(shown, ['8:live']);
});

test('a message ahead of a gap is held until the gap is filled, then each is shown once in order', () => {
  const { shown, sequence } = recorder();
  sequence.begin([], 0);
  sequence.offer({ seq: 1 });
  sequence.offer({ seq: 3 });

  assert.equal(sequence.hasGap, true);
  assert.deepEqual(shown, ['1:live']);

  const delivered = sequence.offerAll([{ seq: 2 }, { seq: 3 }], 'missed');

  assert.equal(delivered, 2);
  assert.deepEqual(shown, ['1:live', '2:missed', '3:live']);
  assert.equal(sequence.hasGap, false);
});

test('repeats, live or caught up, are never shown twice', () => {
  const { shown, sequence } = recorder();
  sequence.begin([{ seq: 1 }], 1);
  sequence.offer({ seq: 1 });
  sequence.offer({ seq: 2 });
  sequence.offerAll([{ seq: 1 }, { seq: 2 }, { seq: 3 }], 'missed');
  sequence.offer({ seq: 3 });

  assert.deepEqual(shown, ['1:snapshot', '2:live', '3:missed']);
});

test('numbers the store does not have are stepped over instead of waited for', () => {
  const { shown, sequence } = recorder();
  sequence.begin([], 3);
  sequence.offer({ seq: 7 });
  assert.equal(sequence.hasGap, true);

  assert.equal(sequence.offerFromStore([{ seq: 6 }, { seq: 7 }, { seq: 8 }], 'live'), 3);

  assert.deepEqual(shown, ['6:live', '7:live', '8:live']);
  assert.equal(sequence.hasGap, false);
});

test('a rejoined room whose history was reset starts again from its new end', () => {
  const { shown, sequence } = recorder();
  sequence.begin([], 40);

  sequence.rejoined(0);
  sequence.offer({ seq: 1 });

  assert.deepEqual(shown, ['1:live']);
});
