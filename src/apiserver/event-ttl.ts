// Event expiry: Events are deleted a TTL after their last write, as upstream's --event-ttl (default 1h) does with etcd leases.
import type { KObject } from '../api/types';
import type { Store } from '../store/types';
import { StoreError } from '../store/types';
import type { Clock } from '../util/clock';
import { logger } from '../util/log';
import type { CacheWatcher, WatchCache } from './watch-cache';

const log = logger('event-ttl');

/** Upstream kube-apiserver's --event-ttl default. */
export const DEFAULT_EVENT_TTL_MS = 60 * 60_000;

const EVENTS_PREFIX = '/registry/core/events/';

/**
 * Writes in the order they happened, each due for deletion `ttlMs` after it. A write that a later one replaced stays
 * queued: its delete carries the write's revision as a precondition, so it fails harmlessly. Kept as parallel arrays
 * because a busy cluster queues hundreds of thousands of them.
 */
export class ExpiryQueue {
  private keys: string[] = [];
  private revisions: number[] = [];
  private writtenAt: number[] = [];
  private head = 0;

  constructor(private readonly ttlMs: number) {}

  get size(): number {
    return this.keys.length - this.head;
  }

  /** Queues a write; writes must come in time order (seeding sorts first). */
  push(key: string, revision: number, at: number): void {
    this.keys.push(key);
    this.revisions.push(revision);
    this.writtenAt.push(at);
  }

  /** Removes and returns the writes whose TTL has passed at `now`. */
  takeDue(now: number): { key: string; revision: number }[] {
    const due: { key: string; revision: number }[] = [];
    while (this.head < this.keys.length && this.writtenAt[this.head] + this.ttlMs <= now) {
      due.push({ key: this.keys[this.head], revision: this.revisions[this.head] });
      this.head++;
    }
    // Drop the taken entries in one go once they are half the arrays, rather than shifting per entry.
    if (this.head > 1024 && this.head * 2 >= this.keys.length) {
      this.keys = this.keys.slice(this.head);
      this.revisions = this.revisions.slice(this.head);
      this.writtenAt = this.writtenAt.slice(this.head);
      this.head = 0;
    }
    return due;
  }

  /** When the oldest queued write falls due, or undefined when none is queued. */
  nextDue(): number | undefined {
    return this.head < this.keys.length ? this.writtenAt[this.head] + this.ttlMs : undefined;
  }
}

/** When an Event found in the store at start-up was last written: its newest timestamp (upstream's lease restarted then). */
export function lastWritten(ev: KObject): number {
  const times = [ev.lastTimestamp, ev.eventTime, ev.series?.lastObservedTime, ev.metadata.creationTimestamp]
    .map((t) => (typeof t === 'string' ? Date.parse(t) : NaN))
    .filter((t) => !Number.isNaN(t));
  return times.length ? Math.max(...times) : 0;
}

/** The shortest gap between sweeps, so Events falling due one after another are deleted in batches. */
const MIN_SWEEP_GAP_MS = 1000;

/**
 * Deletes Events `ttlMs` after their last write: watches the cache for writes, seeds from the store for Events written
 * before start-up, and sweeps on the clock. Returns a stop function.
 */
export function startEventExpiry(store: Store, cache: WatchCache, clock: Clock, ttlMs: number): () => void {
  const queue = new ExpiryQueue(ttlMs);
  // Writes seen while the store is read at start-up wait here, to keep the queue in time order.
  let early: { key: string; revision: number; at: number }[] | undefined = [];
  let stopped = false;
  let timer: { cancel(): void } | undefined;

  const sweep = async () => {
    timer = undefined;
    for (const { key, revision } of queue.takeDue(clock.now())) {
      if (stopped) return;
      try {
        await store.delete(key, revision);
      } catch (e) {
        // Rewritten since (its newer write is queued) or already gone: nothing to do.
        if (!(e instanceof StoreError && (e.code === 'Conflict' || e.code === 'NotFound'))) log.warn('expired event not deleted', { key, err: (e as Error).message });
      }
    }
    schedule();
  };
  const schedule = () => {
    if (stopped || timer) return;
    const next = queue.nextDue();
    if (next !== undefined) timer = clock.setTimeout(() => void sweep(), Math.max(next - clock.now(), MIN_SWEEP_GAP_MS));
  };

  const rc = cache.cacheFor(EVENTS_PREFIX);
  const watcher: CacheWatcher = {
    onEvent(ev) {
      if (ev.type === 'DELETED') return;
      if (early) return void early.push({ key: ev.object.key, revision: ev.rv, at: clock.now() });
      queue.push(ev.object.key, ev.rv, clock.now());
      schedule();
    },
    onClose() {
      // The cache reloads and keeps feeding this watcher; writes missed meanwhile are only found again at the next start.
    },
  };
  rc.watchers.add(watcher);

  const seeded = (stored: { key: string; revision: number; at: number }[], revision: number) => {
    stored.sort((a, b) => a.at - b.at);
    for (const s of stored) queue.push(s.key, s.revision, s.at);
    for (const w of early ?? []) if (w.revision > revision) queue.push(w.key, w.revision, w.at);
    early = undefined;
    schedule();
  };
  store.list(EVENTS_PREFIX).then(
    (res) => seeded(res.items.map((kv) => ({ key: kv.key, revision: kv.modRevision, at: lastWritten(JSON.parse(kv.value) as KObject) })), res.revision),
    (e) => {
      log.warn('stored events not read; only new ones will expire', { err: (e as Error).message });
      seeded([], 0);
    },
  );
  return () => {
    stopped = true;
    timer?.cancel();
    rc.watchers.delete(watcher);
  };
}
