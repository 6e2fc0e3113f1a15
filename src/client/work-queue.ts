// The controller work queue: keys deduplicated while waiting, never processed twice at once, retried with backoff.
import type { Clock } from '../util/clock';
import { realClock } from '../util/clock';
import { Fifo } from './fifo';

/** Per-item exponential backoff, as upstream's ItemExponentialFailureRateLimiter (5 ms doubling, capped). */
export class ExponentialBackoff {
  private readonly failures = new Map<string, number>();
  constructor(
    private readonly baseMs = 5,
    private readonly maxMs = 1000_000,
  ) {}

  /** The delay before the next retry of `key`, counting this failure. */
  next(key: string): number {
    const n = this.failures.get(key) ?? 0;
    this.failures.set(key, n + 1);
    return Math.min(this.baseMs * 2 ** n, this.maxMs);
  }

  /** Clears the failure count of `key` (after a success). */
  forget(key: string): void {
    this.failures.delete(key);
  }

  /** How many times `key` failed in a row. */
  retries(key: string): number {
    return this.failures.get(key) ?? 0;
  }
}

/** A deduplicating queue of keys with delayed and rate-limited adds. */
export class WorkQueue {
  private readonly queue = new Fifo<string>();
  private readonly dirty = new Set<string>();
  private readonly processing = new Set<string>();
  private readonly waiters = new Fifo<(key: string | undefined) => void>();
  private readonly timers = new Map<string, { cancel(): void; at: number }>();
  private shuttingDown = false;
  readonly backoff: ExponentialBackoff;

  constructor(
    private readonly clock: Clock = realClock,
    backoff?: ExponentialBackoff,
  ) {
    this.backoff = backoff ?? new ExponentialBackoff();
  }

  /** Queues `key` unless it is already waiting; a key being processed is queued again after done(). */
  add(key: string): void {
    if (this.shuttingDown || this.dirty.has(key)) return;
    this.dirty.add(key);
    if (this.processing.has(key)) return;
    const w = this.waiters.shift();
    if (w) {
      this.dirty.delete(key);
      this.processing.add(key);
      w(key);
    } else this.queue.push(key);
  }

  /** Queues `key` after `ms` (an earlier pending add wins). */
  addAfter(key: string, ms: number): void {
    if (this.shuttingDown) return;
    if (ms <= 0) return this.add(key);
    const at = this.clock.now() + ms;
    const existing = this.timers.get(key);
    if (existing && existing.at <= at) return;
    existing?.cancel();
    const t = this.clock.setTimeout(() => {
      this.timers.delete(key);
      this.add(key);
    }, ms);
    this.timers.set(key, { cancel: () => t.cancel(), at });
  }

  /** Queues `key` after its backoff delay (a failed sync). */
  addRateLimited(key: string): void {
    this.addAfter(key, this.backoff.next(key));
  }

  /** Stops backing off `key` (a successful sync). */
  forget(key: string): void {
    this.backoff.forget(key);
  }

  /** Waits for the next key; undefined once the queue shuts down. */
  get(): Promise<string | undefined> {
    if (this.shuttingDown) return Promise.resolve(undefined);
    const key = this.queue.shift();
    if (key !== undefined) {
      this.dirty.delete(key);
      this.processing.add(key);
      return Promise.resolve(key);
    }
    return new Promise((resolve) => this.waiters.push(resolve));
  }

  /** Marks `key` processed; if it was added meanwhile it goes back in the queue. */
  done(key: string): void {
    this.processing.delete(key);
    if (this.dirty.has(key)) {
      this.dirty.delete(key);
      this.add(key);
    }
  }

  /** Keys waiting (not counting delayed ones). */
  get length(): number {
    return this.queue.length;
  }

  /** Ends the queue: waiting get() calls resolve undefined, timers are cancelled. */
  shutdown(): void {
    this.shuttingDown = true;
    for (const t of this.timers.values()) t.cancel();
    this.timers.clear();
    for (const w of this.waiters.drain()) w(undefined);
  }
}

/** Runs `workers` loops that take keys and call `sync`; a throw requeues the key with backoff. */
export function runWorkers(queue: WorkQueue, workers: number, sync: (key: string) => Promise<void>, onError: (key: string, err: unknown) => void): Promise<void[]> {
  const loop = async () => {
    for (;;) {
      const key = await queue.get();
      if (key === undefined) return;
      try {
        await sync(key);
        queue.forget(key);
      } catch (err) {
        onError(key, err);
        queue.addRateLimited(key);
      } finally {
        queue.done(key);
      }
    }
  };
  return Promise.all(Array.from({ length: workers }, loop));
}
