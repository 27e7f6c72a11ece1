import assert from 'node:assert/strict';
import { test } from 'node:test';
import { retryDelay } from '../wwwroot/js/backoff.js';

test('the first retry is at once, then the delay doubles within ±20% up to the cap, forever', () => {
  assert.equal(retryDelay(0), 0);
  for (let attempt = 1; attempt <= 50; attempt++) {
    const expected = Math.min(500 * 2 ** (attempt - 1), 10_000);
    const delay = retryDelay(attempt);
    assert.ok(delay >= expected * 0.8 && delay <= expected * 1.2, `attempt ${attempt}: ${delay}`);
  }

  for (const attempt of [1_000, 1_000_000]) {
    const delay = retryDelay(attempt);
    assert.ok(delay >= 8_000 && delay <= 12_000, `attempt ${attempt}: ${delay}`);
  }
});
