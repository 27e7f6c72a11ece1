import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ChatError } from '../wwwroot/js/chat-connection.js';
import { Outbox } from '../wwwroot/js/outbox.js';

/** An outbox whose sends wait until the test answers them, recording each status it reports. */
function outbox() {
  const pending = [];
  const statuses = [];
  const sent = [];
  const subject = new Outbox(item => new Promise((resolve, reject) => pending.push({ item, resolve, reject })), {
    onChange: item => statuses.push(`${item.text}:${item.status}`),
    onSent: message => sent.push(message),
  });
  return { subject, pending, statuses, sent };
}

const settle = () => new Promise(resolve => setImmediate(resolve));

test('messages wait while closed, then go one at a time and in order', async () => {
  const { subject, pending, statuses, sent } = outbox();
  const first = subject.add('general', 'one');
  subject.add('general', 'two');
  assert.equal(pending.length, 0);
  assert.deepEqual(statuses, ['one:queued', 'two:queued']);

  subject.open();
  assert.equal(pending.length, 1);
  pending.shift().resolve({ seq: 1 });
  await settle();
  assert.equal(first.message.seq, 1);
  assert.equal(pending.length, 1);
  assert.equal(pending[0].item.text, 'two');
  pending.shift().resolve({ seq: 2 });
  await settle();

  assert.deepEqual(statuses, ['one:queued', 'two:queued', 'one:sending', 'one:sent', 'two:sending', 'two:sent']);
  assert.deepEqual(sent, [{ seq: 1 }, { seq: 2 }]);
});

test('a lost answer puts the message back and stops; it goes again with the same id', async () => {
  const { subject, pending, statuses } = outbox();
  subject.open();
  const item = subject.add('general', 'one');
  subject.add('general', 'two');
  subject.close();
  pending.shift().reject(new Error('connection lost'));
  await settle();
  assert.equal(item.status, 'queued');
  assert.equal(pending.length, 0);

  subject.open();
  assert.equal(pending[0].item, item);
  assert.equal(pending[0].item.id, item.id);
  assert.deepEqual(statuses, ['one:queued', 'one:sending', 'two:queued', 'one:queued', 'one:sending']);
});

test('a refused message is dropped with the server\'s sentence and the next one goes', async () => {
  const { subject, pending } = outbox();
  subject.open();
  const refused = subject.add('general', 'one');
  subject.add('general', 'two');
  pending.shift().reject(new ChatError('You may not speak in #general.'));
  await settle();
  assert.equal(refused.status, 'failed');
  assert.equal(refused.error, 'You may not speak in #general.');
  assert.equal(pending[0].item.text, 'two');
});

test('leaving a room drops what waits for it, but not the message already sending', async () => {
  const { subject, pending, statuses } = outbox();
  subject.open();
  subject.add('general', 'one');
  subject.add('general', 'two');
  subject.add('random', 'three');
  subject.drop('general');
  pending.shift().resolve({ seq: 1 });
  await settle();
  assert.equal(pending[0].item.text, 'three');
  assert.ok(!statuses.includes('two:sending'));
});
