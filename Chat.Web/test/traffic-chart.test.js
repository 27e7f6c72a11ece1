import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatDuration, formatRate, niceCeiling, polylinePoints, ratesOf } from '../admin/js/traffic-chart.js';

test('bucket counts become rates per second', () => {
  assert.deepEqual(ratesOf([0, 5, 12], 5), [0, 1, 2.4]);
});

test('the scale tops out at the next 1, 2 or 5 times a power of ten', () => {
  assert.equal(niceCeiling(0), 1);
  assert.equal(niceCeiling(0.3), 0.5);
  assert.equal(niceCeiling(1), 1);
  assert.equal(niceCeiling(1.1), 2);
  assert.equal(niceCeiling(3), 5);
  assert.equal(niceCeiling(7), 10);
  assert.equal(niceCeiling(180), 200);
  assert.equal(niceCeiling(Number.NaN), 1);
});

test('points run from the left edge to the right, zero at the bottom, the top clipped', () => {
  assert.equal(polylinePoints([0, 5, 10, 20], 300, 100, 10), '0,100 100,50 200,0 300,0');
  assert.equal(polylinePoints([3], 300, 100, 10), '0,70');
  assert.equal(polylinePoints([], 300, 100, 10), '');
});

test('rates and durations read well', () => {
  assert.equal(formatRate(0), '0');
  assert.equal(formatRate(0.033), '0.03');
  assert.equal(formatRate(2.54), '2.5');
  assert.equal(formatRate(12.4), '12');
  assert.equal(formatRate(1234), '1.2k');
  assert.equal(formatDuration(42.9), '42 s');
  assert.equal(formatDuration(720), '12 min');
  assert.equal(formatDuration(3 * 3600 + 5 * 60), '3 h 5 min');
});
