// Informers: a list+watch mirror of one resource, with indexes and add/update/delete handlers (as client-go's).
import type { KObject } from '../api/types';
import type { Clock } from '../util/clock';
import { realClock } from '../util/clock';
import { logger } from '../util/log';
import type { ListOptions, ResourceClient, WatchHandle } from './types';

const log = logger('informer');

/** Handlers for changes; objects are shared with the informer's cache: never mutate them. */
export interface InformerHandlers<T> {
  add?(obj: T): void;
  update?(oldObj: T, newObj: T): void;
  delete?(obj: T): void;
}

/** "namespace/name", or "name" for cluster-scoped objects: the key controllers queue. */
export function keyOf(obj: KObject): string {
  return obj.metadata.namespace ? `${obj.metadata.namespace}/${obj.metadata.name}` : obj.metadata.name!;
}

/** Splits a key into namespace and name. */
export function splitKey(key: string): { namespace: string; name: string } {
  const i = key.indexOf('/');
  return i < 0 ? { namespace: '', name: key } : { namespace: key.slice(0, i), name: key.slice(i + 1) };
}

/** A cached, watched view of one resource. */
export class Informer<T extends KObject> {
  private readonly items = new Map<string, T>();
  private readonly handlers: InformerHandlers<T>[] = [];
  private readonly indexers = new Map<string, (obj: T) => string[]>();
  /** Per index, per value: the objects with that value, and a frozen array of them made on demand. */
  private readonly indexes = new Map<string, Map<string, IndexBucket<T>>>();
  private watch: WatchHandle | undefined;
  private stopped = false;
  private synced = false;
  private syncWaiters: (() => void)[] = [];
  private retryMs = 100;

  constructor(
    private readonly client: ResourceClient<T>,
    private readonly opts: ListOptions & { namespace?: string } = {},
    private readonly clock: Clock = realClock,
  ) {}

  /** Registers handlers; call before start() to see the initial objects as adds. */
  on(h: InformerHandlers<T>): void {
    this.handlers.push(h);
  }

  /** Adds an index: `fn` gives the index values of an object (e.g. a pod's node name). */
  addIndex(name: string, fn: (obj: T) => string[]): void {
    this.indexers.set(name, fn);
    const idx = new Map<string, IndexBucket<T>>();
    this.indexes.set(name, idx);
    for (const [k, o] of this.items) for (const v of fn(o)) indexSet(idx, v, k, o);
  }

  /** Lists, then watches from the list's version; re-lists whenever the watch ends. */
  async start(): Promise<void> {
    await this.listAndWatch();
  }

  /** Resolves once the first list has been delivered to the handlers. */
  waitForSync(): Promise<void> {
    if (this.synced) return Promise.resolve();
    return new Promise((resolve) => this.syncWaiters.push(resolve));
  }

  get hasSynced(): boolean {
    return this.synced;
  }

  stop(): void {
    this.stopped = true;
    this.watch?.stop();
  }

  /** The cached object with this key. */
  get(key: string): T | undefined {
    return this.items.get(key);
  }

  /** Every cached object. */
  list(): T[] {
    return [...this.items.values()];
  }

  /**
   * Cached objects whose index `name` has `value`. The array is shared and frozen (made once per change of its
   * members, not per call): read it, never modify it.
   */
  byIndex(name: string, value: string): T[] {
    const b = this.indexes.get(name)?.get(value);
    if (!b) return [];
    return (b.view ??= Object.freeze([...b.objects.values()])) as T[];
  }

  /** Cached objects of one namespace. */
  inNamespace(namespace: string): T[] {
    return this.list().filter((o) => o.metadata.namespace === namespace);
  }

  private reindex(key: string, oldObj: T | undefined, newObj: T | undefined): void {
    for (const [name, fn] of this.indexers) {
      const idx = this.indexes.get(name)!;
      const after = newObj ? fn(newObj) : [];
      if (oldObj) for (const v of fn(oldObj)) if (!after.includes(v)) indexDelete(idx, v, key);
      for (const v of after) indexSet(idx, v, key, newObj!);
    }
  }

  private apply(type: 'ADDED' | 'MODIFIED' | 'DELETED', obj: T): void {
    const key = keyOf(obj);
    const old = this.items.get(key);
    if (type === 'DELETED') {
      if (!old) return;
      this.items.delete(key);
      this.reindex(key, old, undefined);
      for (const h of this.handlers) h.delete?.(obj);
      return;
    }
    this.items.set(key, obj);
    this.reindex(key, old, obj);
    for (const h of this.handlers) {
      if (old) h.update?.(old, obj);
      else h.add?.(obj);
    }
  }

  private async listAndWatch(): Promise<void> {
    if (this.stopped) return;
    const ns = this.opts.namespace ?? '';
    const selectors = { labelSelector: this.opts.labelSelector, fieldSelector: this.opts.fieldSelector };
    let rv: string;
    try {
      const res = await this.client.list(ns, selectors);
      rv = res.resourceVersion;
      // A re-list replaces the cache: objects that vanished meanwhile are reported deleted.
      const seen = new Set<string>();
      for (const o of res.items) {
        seen.add(keyOf(o));
        const old = this.items.get(keyOf(o));
        if (!old || old.metadata.resourceVersion !== o.metadata.resourceVersion) this.apply(old ? 'MODIFIED' : 'ADDED', o);
      }
      for (const [k, o] of [...this.items]) if (!seen.has(k)) this.apply('DELETED', o);
      this.retryMs = 100;
    } catch (e) {
      log.warn('list failed; retrying', { err: (e as Error).message, inMs: this.retryMs });
      this.clock.setTimeout(() => void this.listAndWatch(), this.retryMs);
      this.retryMs = Math.min(this.retryMs * 2, 30_000);
      return;
    }
    if (!this.synced) {
      this.synced = true;
      for (const w of this.syncWaiters.splice(0)) w();
    }
    if (this.stopped) return;
    this.watch = this.client.watch(
      ns,
      { ...selectors, resourceVersion: rv },
      (ev) => this.apply(ev.type, ev.object),
      (reason) => {
        log.debug('watch closed; re-listing', { reason });
        void this.listAndWatch();
      },
    );
  }
}

/** The objects of one index value. */
interface IndexBucket<T> {
  objects: Map<string, T>;
  view?: readonly T[];
}

function indexSet<T>(idx: Map<string, IndexBucket<T>>, value: string, key: string, obj: T): void {
  let b = idx.get(value);
  if (!b) idx.set(value, (b = { objects: new Map() }));
  b.objects.set(key, obj);
  b.view = undefined;
}

// An emptied bucket goes, so values that come and go (owner UIDs) do not pile up.
function indexDelete<T>(idx: Map<string, IndexBucket<T>>, value: string, key: string): void {
  const b = idx.get(value);
  if (!b?.objects.delete(key)) return;
  if (b.objects.size) b.view = undefined;
  else idx.delete(value);
}
