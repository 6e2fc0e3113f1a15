// Our own writes, kept until the informer catches up (upstream's storeObjectUpdate), so a sync never acts on a version older than one it wrote.
import type { KObject } from '../../../api/types';

const rv = (o: KObject): bigint => {
  const v = o.metadata.resourceVersion ?? '';
  return /^\d+$/.test(v) ? BigInt(v) : -1n;
};

/** Objects this controller wrote, by key, shadowing older cached versions. */
export class NewestVersions<T extends KObject> {
  private readonly written = new Map<string, T>();

  /** Records an object returned by a write. */
  remember(key: string, obj: T): void {
    const prev = this.written.get(key);
    if (!prev || rv(obj) > rv(prev)) this.written.set(key, obj);
  }

  /** Forgets a key (the object was deleted). */
  forget(key: string): void {
    this.written.delete(key);
  }

  /** The newer of the cached object and our last write of it; undefined when the cache has none (deleted). */
  pick(key: string, cached: T | undefined): T | undefined {
    const mine = this.written.get(key);
    if (!cached) return undefined;
    if (mine && mine.metadata.uid === cached.metadata.uid && rv(mine) > rv(cached)) return mine;
    this.written.delete(key);
    return cached;
  }
}
