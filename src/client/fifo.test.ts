// Tests of the Fifo: order, length, and compaction past the internal threshold.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { Fifo } from './fifo';

test('Fifo keeps order across pushes, shifts and compaction', () => {
  const q = new Fifo<number>();
  assert.equal(q.shift(), undefined);
  let next = 0;
  let expected = 0;
  // Interleave so the head passes the compaction threshold several times with elements still queued.
  for (let round = 0; round < 5; round++) {
    for (let i = 0; i < 3000; i++) q.push(next++);
    for (let i = 0; i < 2500; i++) assert.equal(q.shift(), expected++);
    assert.equal(q.length, next - expected);
  }
  assert.deepEqual(q.drain(), Array.from({ length: next - expected }, (_, i) => expected + i));
  assert.equal(q.length, 0);
  assert.equal(q.shift(), undefined);
  q.push(7);
  assert.equal(q.shift(), 7);
});
