// One informer per resource for the whole process, shared by every controller that watches it.
import type { KObject } from '../api/types';
import type { Clock } from '../util/clock';
import { Informer } from './informer';
import type { Client, GVR } from './types';

/** Hands out shared, started informers. */
export class SharedInformers {
  private readonly informers = new Map<string, Informer<KObject>>();

  constructor(
    private readonly client: Client,
    private readonly clock: Clock,
  ) {}

  /** The informer of a resource (all namespaces), started on first request. */
  for<T extends KObject = KObject>(gvr: GVR): Informer<T> {
    const key = `${gvr.group}/${gvr.version}/${gvr.resource}`;
    let inf = this.informers.get(key);
    if (!inf) {
      inf = new Informer<KObject>(this.client.resource(gvr), {}, this.clock);
      this.informers.set(key, inf);
      // Started on the next turn so that callers can register handlers and indexes first.
      queueMicrotask(() => void inf!.start());
    }
    return inf as unknown as Informer<T>;
  }

  /** Resolves when every informer handed out so far has listed once. */
  async waitForSync(): Promise<void> {
    await Promise.all([...this.informers.values()].map((i) => i.waitForSync()));
  }

  stop(): void {
    for (const i of this.informers.values()) i.stop();
  }
}
