// The API server's watch cache: every stored object in memory, serialized once per change, fanned out to watchers.
import type { KObject } from '../api/types';
import { gone } from '../machinery/errors';
import type { KeyValue, Store, WatchEvent, WatchHandle } from '../store/types';
import { logger } from '../util/log';
import { shareSubtrees, SubtreeTable } from './shared-subtrees';

const log = logger('watch-cache');

/**
 * An object as the cache holds it: parsed for filtering, and its JSON (with resourceVersion) for the wire. `obj` is
 * shared by every reader (lists, watchers, in-process informers) unless noted: nobody may mutate it.
 */
export interface CachedObject {
  readonly key: string;
  readonly rv: number;
  readonly obj: KObject;
  readonly json: string;
}

/** The usual form: decoded once; the JSON is made on first use and kept, once per change however many clients read it,
 * and never when only in-process clients (which take `obj`) do. */
class DecodedObject implements CachedObject {
  private text: string | undefined;
  constructor(
    readonly key: string,
    readonly rv: number,
    readonly obj: KObject,
  ) {}

  get json(): string {
    return (this.text ??= JSON.stringify(this.obj));
  }
}

/**
 * A change to a resource the cache does not hold (Events: several per pod, watched by no component in process), kept only
 * in the recent history that resumes watches: the stored text, with `obj` a fresh decode on each use.
 */
class StoredText implements CachedObject {
  constructor(
    readonly key: string,
    readonly rv: number,
    private readonly value: string,
  ) {}

  get obj(): KObject {
    return decode(this.value, this.rv);
  }

  get json(): string {
    return JSON.stringify(this.obj);
  }
}

/** Where Events (core/v1 and events.k8s.io/v1 alike) are stored. */
export const EVENTS_PREFIX = '/registry/core/events/';
/**
 * Resources served from the store rather than memory, as upstream serves Events from etcd without a watch cache: they
 * outnumber every other kind and are read by people, not controllers, so holding them would cost most of the memory.
 */
const UNCACHED_PREFIXES = new Set([EVENTS_PREFIX]);

function decode(value: string, rv: number): KObject {
  const obj = JSON.parse(value) as KObject;
  obj.metadata = obj.metadata ?? {};
  obj.metadata.resourceVersion = String(rv);
  return obj;
}

/** A change as watchers see it. `prev` is the object before the change (absent for ADDED). */
export interface CacheEvent {
  type: 'ADDED' | 'MODIFIED' | 'DELETED';
  rv: number;
  object: CachedObject;
  prev?: CachedObject;
}

/** Receives events of one resource prefix. */
export interface CacheWatcher {
  onEvent(ev: CacheEvent): void;
  /** The cache lost its store watch; the watcher must end so the client re-lists. */
  onClose(reason: string): void;
}

/** How many recent events per resource are kept to resume watches from an older resourceVersion. */
const HISTORY = 2000;

/** Cached state of one resource (e.g. /registry/apps/deployments/). */
export class ResourceCache {
  /** Every object of the resource, or none when it is not `held` (read those from the store). */
  readonly objects = new Map<string, CachedObject>();
  /** False for resources served from the store: only their recent changes pass through here, to watchers. */
  readonly held: boolean;
  private sortedKeys: string[] | undefined;
  private readonly history: CacheEvent[] = [];
  /** Events before this index are no longer kept (see apply). */
  private historyHead = 0;
  /** Events older than this revision are gone from `history`. */
  private historyStart = 0;
  readonly watchers = new Set<CacheWatcher>();

  constructor(readonly prefix: string, startRevision: number) {
    this.historyStart = startRevision;
    this.held = !UNCACHED_PREFIXES.has(prefix);
  }

  /** Keys in sorted order (the store's order), for paging and stable lists. */
  keys(): string[] {
    if (!this.sortedKeys) this.sortedKeys = [...this.objects.keys()].sort();
    return this.sortedKeys;
  }

  /** Applies one store change and notifies watchers. */
  apply(ev: CacheEvent): void {
    if (this.held) this.keep(ev);
    this.history.push(ev);
    if (this.history.length - this.historyHead > HISTORY) {
      this.historyStart = this.history[this.historyHead++].rv;
      // Dropped events are cut off in one go once they fill half the array, not one shift (a copy) per event.
      if (this.historyHead >= HISTORY) {
        this.history.splice(0, this.historyHead);
        this.historyHead = 0;
      }
    }
    for (const w of this.watchers) w.onEvent(ev);
  }

  private keep(ev: CacheEvent): void {
    if (ev.type === 'DELETED') {
      this.objects.delete(ev.object.key);
      this.sortedKeys = undefined;
    } else {
      if (!this.objects.has(ev.object.key)) this.sortedKeys = undefined;
      this.objects.set(ev.object.key, ev.object);
    }
  }

  /** Events with rv > `after`; throws 410 Gone when they are no longer kept. */
  eventsSince(after: number, storeRevision: number): CacheEvent[] {
    if (after < this.historyStart) {
      throw gone(`too old resource version: ${after} (${storeRevision})`);
    }
    let i = this.history.length;
    while (i > this.historyHead && this.history[i - 1].rv > after) i--;
    return this.history.slice(i);
  }

  /** Adds an object during the initial load (no event). */
  seed(o: CachedObject): void {
    this.objects.set(o.key, o);
    this.sortedKeys = undefined;
  }
}

/** Parses a stored value and stamps its resourceVersion. */
export function toCached(kv: KeyValue): CachedObject {
  return new DecodedObject(kv.key, kv.modRevision, decode(kv.value, kv.modRevision));
}

/** Parts of cached objects seen lately, so that equal ones are held once (see shared-subtrees.ts). */
const sharedParts = new SubtreeTable();

// What the cache keeps of a stored value under `prefix`.
function cachedForm(prefix: string, kv: KeyValue): CachedObject {
  if (UNCACHED_PREFIXES.has(prefix)) return new StoredText(kv.key, kv.modRevision, kv.value);
  const obj = decode(kv.value, kv.modRevision);
  shareSubtrees(obj, sharedParts);
  return new DecodedObject(kv.key, kv.modRevision, obj);
}

/** The prefix of the resource a key belongs to: /registry/<group>/<resource>/. */
export function resourcePrefixOf(key: string): string {
  let slashes = 0;
  for (let i = 0; i < key.length; i++) {
    if (key[i] === '/' && ++slashes === 4) return key.slice(0, i + 1);
  }
  return key;
}

/** All resource caches, fed by one store watch on /registry/. */
export class WatchCache {
  private caches = new Map<string, ResourceCache>();
  private handle: WatchHandle | undefined;
  /** The newest revision the cache has seen. */
  revision = 0;
  private waiters: { rev: number; resolve: () => void }[] = [];
  private startRevision = 0;
  private stopped = false;
  private retryTimer: NodeJS.Timeout | undefined;

  constructor(private readonly store: Store) {}

  /** Loads every object and starts watching; resolves once the cache is complete. */
  start(): Promise<void> {
    return this.load();
  }

  // List then watch from the list's revision, as a reflector does; a fresh load replaces every cache.
  private async load(): Promise<void> {
    const res = await this.store.list('/registry/');
    const caches = new Map<string, ResourceCache>();
    for (const kv of res.items) {
      const prefix = resourcePrefixOf(kv.key);
      let c = caches.get(prefix);
      if (!c) caches.set(prefix, (c = new ResourceCache(prefix, res.revision)));
      // A resource the cache does not hold (Events) is not even wrapped: it may be most of the store.
      if (c.held) c.seed(cachedForm(prefix, kv));
    }
    this.caches = caches;
    this.startRevision = res.revision;
    this.revision = Math.max(this.revision, res.revision);
    this.handle = this.store.watch('/registry/', {
      afterRevision: res.revision,
      onEvent: (ev) => this.onStoreEvent(ev),
      onError: (err) => this.onWatchLost(err.code, err.message),
    });
  }

  // The store watch ended (etcd lost, history compacted): end every client watch so clients re-list, and reload.
  private onWatchLost(code: string, message: string): void {
    if (this.stopped || code === 'Closed') return;
    log.error('store watch lost; closing client watches and reloading', { code, err: message });
    for (const c of this.caches.values()) for (const w of c.watchers) w.onClose(message);
    const retry = (delayMs: number) => {
      this.retryTimer = setTimeout(() => {
        this.load().then(
          () => log.info('watch cache reloaded', { revision: this.revision }),
          (e) => {
            log.warn('watch cache reload failed; retrying', { err: (e as Error).message, inMs: delayMs * 2 });
            retry(Math.min(delayMs * 2, 30_000));
          },
        );
      }, delayMs);
    };
    retry(1000);
  }

  stop(): void {
    this.stopped = true;
    clearTimeout(this.retryTimer);
    this.handle?.stop();
  }

  /** The cache for one resource prefix, created empty when nothing was stored yet. */
  cacheFor(prefix: string): ResourceCache {
    let c = this.caches.get(prefix);
    if (!c) {
      c = new ResourceCache(prefix, this.startRevision);
      this.caches.set(prefix, c);
    }
    return c;
  }

  /**
   * The objects under `keyPrefix` (a resource prefix or a namespace within it) in key order, and the revision they are
   * at: from memory, or read from the store for a resource the cache does not hold. A watcher subscribes first and
   * then takes this, dropping the events it was sent up to `rv`.
   */
  async current(rc: ResourceCache, keyPrefix: string): Promise<{ objects: CachedObject[]; rv: number }> {
    if (rc.held) {
      const objects: CachedObject[] = [];
      for (const k of rc.keys()) if (k.startsWith(keyPrefix)) objects.push(rc.objects.get(k)!);
      return { objects, rv: this.revision };
    }
    const res = await this.store.list(keyPrefix);
    return { objects: res.items.map((kv) => cachedForm(rc.prefix, kv)), rv: res.revision };
  }

  /** How many objects each resource prefix holds (for benchmarks and memory accounting). */
  counts(): Map<string, number> {
    return new Map([...this.caches].map(([prefix, c]) => [prefix, c.objects.size]));
  }

  /** Resolves when the cache has seen revision `rev` (for consistent reads after writes). */
  waitFor(rev: number, timeoutMs = 3000): Promise<void> {
    if (this.revision >= rev) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error(`watch cache did not reach revision ${rev} in time`)), timeoutMs);
      this.waiters.push({
        rev,
        resolve: () => {
          clearTimeout(t);
          resolve();
        },
      });
    });
  }

  private onStoreEvent(ev: WatchEvent): void {
    const prefix = resourcePrefixOf(ev.kv.key);
    const cache = this.cacheFor(prefix);
    // For a resource not held, the store's previous value tells an update from a create.
    const prev = cache.held ? cache.objects.get(ev.kv.key) : ev.prevKv && cachedForm(prefix, ev.prevKv);
    if (ev.type === 'DELETE') {
      const last = prev ?? toCached(ev.prevKv ?? ev.kv);
      // A deleted object is reported with the delete's revision, as upstream does.
      const lastObj = last.obj;
      const obj = { ...lastObj, metadata: { ...lastObj.metadata, resourceVersion: String(ev.revision) } };
      cache.apply({ type: 'DELETED', rv: ev.revision, object: new DecodedObject(last.key, ev.revision, obj), prev: last });
    } else {
      cache.apply({ type: prev ? 'MODIFIED' : 'ADDED', rv: ev.revision, object: cachedForm(prefix, ev.kv), prev });
    }
    this.revision = Math.max(this.revision, ev.revision);
    if (this.waiters.length) {
      const ready = this.waiters.filter((w) => w.rev <= this.revision);
      this.waiters = this.waiters.filter((w) => w.rev > this.revision);
      for (const w of ready) w.resolve();
    }
  }
}
