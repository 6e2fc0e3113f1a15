import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Backoff, goDuration } from './backoff';

test('back-off doubles from 10 s to 5 min', () => {
  const b = new Backoff();
  const delays = [0, 1, 2, 3, 4, 5, 6].map((i) => b.next('k', i * 1000));
  assert.deepEqual(delays, [10_000, 20_000, 40_000, 80_000, 160_000, 300_000, 300_000]);
});

test('in back-off only until the delay since the failure has passed', () => {
  const b = new Backoff();
  assert.equal(b.inBackoffSince('k', 0, 1), false);
  b.next('k', 0);
  assert.equal(b.inBackoffSince('k', 0, 9_999), true);
  assert.equal(b.inBackoffSince('k', 0, 10_000), false);
  assert.equal(b.endsAt('k', 0), 10_000);
});

test('a key without failures for 10 min starts over', () => {
  const b = new Backoff();
  b.next('k', 0);
  b.next('k', 1);
  assert.equal(b.get('k'), 20_000);
  assert.equal(b.inBackoffSince('k', 1, 600_002), false);
  assert.equal(b.next('k', 600_002), 10_000);
});

test('gc drops expired keys and a pod prefix', () => {
  const b = new Backoff();
  b.next('u1/a', 0);
  b.next('u2/a', 700_000);
  b.gc(700_000);
  assert.equal(b.get('u1/a'), 0);
  b.gc(700_000, 'u2/');
  assert.equal(b.get('u2/a'), 0);
});

test('back-off durations print as Go prints them', () => {
  assert.deepEqual([10_000, 80_000, 300_000].map(goDuration), ['10s', '1m20s', '5m0s']);
});
