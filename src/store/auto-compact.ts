// Periodic compaction shared by every backend: keep the newest `retainRevisions` revisions of history.
import { Clock, realClock } from '../util/clock';
import { logger } from '../util/log';
import { Store } from './types';

const log = logger('store');

/** Options every backend accepts for periodic compaction (off unless compactIntervalMs is set). */
export interface AutoCompactOptions {
  /** Compact every this many milliseconds. */
  compactIntervalMs?: number;
  /** How many revisions of history to keep (default 1000, as kine). */
  retainRevisions?: number;
  clock?: Clock;
}

/** Default history kept by periodic compaction. */
export const defaultRetainRevisions = 1000;

/** Throws on inconsistent compaction options, so a typo fails at construction rather than silently never compacting. */
export function checkAutoCompactOptions(opts: AutoCompactOptions): void {
  const { compactIntervalMs, retainRevisions } = opts;
  if (compactIntervalMs !== undefined && !(compactIntervalMs > 0)) {
    throw new Error(`compactIntervalMs must be a positive number, got ${compactIntervalMs}`);
  }
  if (retainRevisions !== undefined) {
    if (!Number.isInteger(retainRevisions) || retainRevisions < 0) {
      throw new Error(`retainRevisions must be a non-negative integer, got ${retainRevisions}`);
    }
    if (compactIntervalMs === undefined) throw new Error('retainRevisions needs compactIntervalMs');
  }
}

/** Starts compacting `store` on a timer when the options ask for it; the returned function stops it. */
export function startAutoCompaction(store: Store, opts: AutoCompactOptions): () => void {
  const interval = opts.compactIntervalMs;
  if (interval === undefined) return () => {};
  const retain = opts.retainRevisions ?? defaultRetainRevisions;
  const clock = opts.clock ?? realClock;
  let timer: { cancel(): void } | undefined;
  let stopped = false;
  const tick = async () => {
    try {
      const target = (await store.currentRevision()) - retain;
      if (target > (await store.compactedRevision())) await store.compact(target);
    } catch (err) {
      if (!stopped) log.warn('periodic compaction failed', { err: String(err) });
    }
    if (!stopped) timer = clock.setTimeout(tick, interval);
  };
  timer = clock.setTimeout(tick, interval);
  return () => {
    stopped = true;
    timer?.cancel();
  };
}
