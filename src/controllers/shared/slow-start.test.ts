// Slow-start batching: batches double, and the first failing batch ends the run.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { slowStartBatch } from './slow-start';

test('runs in batches of 1, 2, 4, … up to the count', async () => {
  const batches: number[] = [];
  let inFlight = 0;
  const res = await slowStartBatch(10, 1, async () => {
    if (inFlight === 0) batches.push(0);
    inFlight++;
    batches[batches.length - 1]++;
    await new Promise((r) => setImmediate(r));
    inFlight--;
  });
  assert.deepEqual(batches, [1, 2, 4, 3]);
  assert.deepEqual(res, { successes: 10 });
});

test('stops after the first batch with a failure and counts what succeeded', async () => {
  let calls = 0;
  const res = await slowStartBatch(100, 1, async () => {
    calls++;
    if (calls >= 3) throw new Error('quota');
  });
  // Batches 1 and 2 ran (3 calls); the second batch had one failure.
  assert.equal(calls, 3);
  assert.equal(res.successes, 2);
  assert.equal((res.error as Error).message, 'quota');
});
