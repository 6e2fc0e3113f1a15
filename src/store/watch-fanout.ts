// Delivers committed events to the watchers of an in-process backend: a replayed backlog first, then live events, in order.
import { deliver } from './deliver';
import { hasPrefix } from './keys';
import { StoreError, WatchEvent, WatchHandle, WatchOptions } from './types';

interface Watcher {
  prefix: string;
  opts: WatchOptions;
  /** Revision of the newest event queued; an event at or below it is a duplicate. */
  last: number;
  queue: WatchEvent[];
  /** False until the first microtask after registration, so no event reaches a caller still inside watch(). */
  ready: boolean;
  draining: boolean;
  stopped: boolean;
}

/** The watcher registry of a backend that commits in this process (memory, SQLite). */
export class WatchFanout {
  private readonly watchers = new Set<Watcher>();

  /**
   * Registers a watcher that first receives `backlog` (the committed events after `afterRevision`,
   * read by the caller in the same synchronous turn, so nothing falls between backlog and live
   * events) and then every published event.
   */
  add(prefix: string, afterRevision: number, backlog: WatchEvent[], opts: WatchOptions): WatchHandle {
    const w: Watcher = { prefix, opts, last: afterRevision, queue: [], ready: false, draining: false, stopped: false };
    this.watchers.add(w);
    this.enqueue(w, backlog);
    queueMicrotask(() => {
      w.ready = true;
      this.drain(w);
    });
    return { stop: () => this.remove(w) };
  }

  /** Hands the events of one commit, in revision order, to every matching watcher before returning. */
  publish(events: WatchEvent[]): void {
    for (const w of this.watchers) {
      this.enqueue(w, events);
      this.drain(w);
    }
  }

  /** Ends every watch with `err` (e.g. the store closed). */
  failAll(err: StoreError): void {
    for (const w of [...this.watchers]) {
      this.remove(w);
      w.opts.onError(err);
    }
  }

  /** Number of active watchers. */
  get size(): number {
    return this.watchers.size;
  }

  private remove(w: Watcher): void {
    w.stopped = true;
    w.queue = [];
    this.watchers.delete(w);
  }

  private enqueue(w: Watcher, events: WatchEvent[]): void {
    for (const ev of events) {
      if (ev.revision <= w.last || !hasPrefix(ev.kv.key, w.prefix)) continue;
      w.last = ev.revision;
      w.queue.push(ev);
    }
  }

  private drain(w: Watcher): void {
    // A handler that writes to the store re-enters publish(); the outer loop delivers what it queues.
    if (!w.ready || w.draining) return;
    w.draining = true;
    let i = 0;
    while (i < w.queue.length && !w.stopped) {
      deliver(w.opts, w.queue[i++]);
    }
    if (!w.stopped) w.queue = [];
    w.draining = false;
  }
}
