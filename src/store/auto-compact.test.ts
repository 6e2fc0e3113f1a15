// Periodic compaction: on each tick the store is compacted down to its newest retainRevisions revisions.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startAutoCompaction } from './auto-compact';
import { MemoryStore } from './memory/memory-store';

/** A clock whose timers fire only when a test calls them. */
function manualClock() {
  const timers: { fn: () => void; ms: number; cancelled: boolean }[] = [];
  const setTimeout = (fn: () => void, ms: number) => {
    const t = { fn, ms, cancelled: false };
    timers.push(t);
    return { cancel: () => (t.cancelled = true) };
  };
  return { timers, now: () => 0, setTimeout };
}

test('each tick compacts to current minus retainRevisions and schedules the next', async () => {
  const clock = manualClock();
  const store = new MemoryStore();
  const stop = startAutoCompaction(store, { compactIntervalMs: 1000, retainRevisions: 2, clock });
  for (let i = 0; i < 5; i++) await store.create(`/k/${i}`, '');
  assert.equal(clock.timers.length, 1);
  assert.equal(clock.timers[0].ms, 1000);
  clock.timers.shift()!.fn();
  await new Promise((r) => setImmediate(r));
  assert.equal(await store.compactedRevision(), 3);
  assert.equal(clock.timers.length, 1, 'the next round is scheduled');
  stop();
  await store.close();
});

test('a store built with compactIntervalMs runs it and stops it on close', async () => {
  const clock = manualClock();
  const store = new MemoryStore({ compactIntervalMs: 50, clock });
  for (let i = 0; i < 3; i++) await store.create(`/k/${i}`, '');
  clock.timers.shift()!.fn();
  await new Promise((r) => setImmediate(r));
  // Fewer revisions than the default retention: nothing to compact yet.
  assert.equal(await store.compactedRevision(), 0);
  assert.equal(clock.timers.length, 1);
  await store.close();
  assert.ok(clock.timers[0].cancelled);
});
