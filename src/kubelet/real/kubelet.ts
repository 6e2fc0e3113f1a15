// The real kubelet's pod side: pods bound to this node and a relist of the runtime (PLEG) feed one serialized worker per pod uid.
import type { Pod } from 'kubernetes-types/core/v1';
import type { KObject } from '../../api/types';
import type { Informer } from '../../client/informer';
import { R } from '../../client/types';
import { WorkQueue, runWorkers } from '../../client/work-queue';
import type { Controller, ControllerDeps } from '../../controllers/types';
import { logger } from '../../util/log';
import { NODE_NAME_INDEX } from '../sim/manager';
import type { PodWorkers } from './pod-worker';
import type { Relist, RuntimeReader } from './runtime';
import { LABEL_POD_UID } from './runtime-state';

const log = logger('kubelet');

/** Index of the pod informer by uid, to find a pod from its runtime labels. */
export const POD_UID_INDEX = 'metadata.uid';
/** How often the runtime is relisted to notice exits (upstream PLEG relist period, 1 s). */
export const RELIST_MS = 1000;

/** Options of the pod manager. */
export interface PodManagerOptions {
  nodeName: string;
  workers?: number;
}

// A fingerprint of what the relist saw per pod uid: container and sandbox ids with their states.
function fingerprints(r: Relist): Map<string, string> {
  const out = new Map<string, string[]>();
  const add = (uid: string, s: string) => {
    let l = out.get(uid);
    if (!l) out.set(uid, (l = []));
    l.push(s);
  };
  for (const s of r.sandboxes) add(s.labels[LABEL_POD_UID], `${s.id}=${s.state}`);
  for (const c of r.containers) add(c.labels[LABEL_POD_UID], `${c.id}=${c.state}`);
  return new Map([...out].map(([uid, l]) => [uid, l.sort().join(',')]));
}

/** Whether an update changed what the kubelet acts on: spec, deletion, labels or annotations (downward API), or the uid. */
export function specChanged(old: KObject, cur: KObject): boolean {
  const m = (o: KObject) => [o.metadata.uid, o.metadata.deletionTimestamp, o.metadata.deletionGracePeriodSeconds, o.metadata.labels, o.metadata.annotations];
  return JSON.stringify([m(old), old.spec]) !== JSON.stringify([m(cur), cur.spec]);
}

/** Runs pod workers for the pods of one node. */
export class PodManager implements Controller {
  private readonly pods: Informer<KObject>;
  private readonly queue: WorkQueue;
  private readonly seen = new Map<string, string>();
  private stopped = false;
  private relistTimer?: { cancel(): void };

  constructor(
    private readonly deps: ControllerDeps,
    private readonly opts: PodManagerOptions,
    private readonly workers: PodWorkers,
    private readonly reader: RuntimeReader,
  ) {
    this.queue = new WorkQueue(deps.clock);
    this.pods = deps.informers.for(R.pods);
    this.pods.addIndex(NODE_NAME_INDEX, (p) => (p.spec?.nodeName ? [p.spec.nodeName] : []));
    this.pods.addIndex(POD_UID_INDEX, (p) => (p.metadata.uid ? [p.metadata.uid] : []));
    const onPod = (p: KObject) => {
      if (p.spec?.nodeName === opts.nodeName) this.enqueue(p.metadata.uid!);
    };
    // Status-only updates (mostly our own writes) do not need a sync: the relist and the worker's timers cover the runtime side.
    this.pods.on({ add: onPod, update: (o, p) => specChanged(o, p) && onPod(p), delete: onPod });
  }

  /** Waits for the pod cache, then syncs every pod of the node (re-adopting what runs) and starts relisting. */
  async start(): Promise<void> {
    await this.pods.waitForSync();
    if (this.stopped) return;
    void runWorkers(this.queue, this.opts.workers ?? 16, (uid) => this.sync(uid), (uid, err) => {
      // A conflict is a status written from a stale copy: the retry reads the newer one.
      if (!this.stopped && (err as { code?: number })?.code !== 409) log.warn('pod sync failed; retrying', { obj: this.objOf(uid), uid, err: (err as Error).message });
    });
    for (const p of this.pods.byIndex(NODE_NAME_INDEX, this.opts.nodeName)) this.enqueue(p.metadata.uid!);
    await this.relist();
  }

  stop(): void {
    this.stopped = true;
    this.relistTimer?.cancel();
    this.queue.shutdown();
  }

  /** Queues a sync of the pod with `uid` (probe results call this). */
  enqueue(uid: string): void {
    if (!this.stopped) this.queue.add(uid);
  }

  private objOf(uid: string): string {
    const p = this.pods.byIndex(POD_UID_INDEX, uid)[0];
    return p ? `${p.metadata.namespace}/${p.metadata.name}` : uid;
  }

  // The pod with `uid` if it is (still) bound to this node.
  private podOf(uid: string): Pod | undefined {
    const p = this.pods.byIndex(POD_UID_INDEX, uid)[0];
    return p && p.spec?.nodeName === this.opts.nodeName ? (p as Pod) : undefined;
  }

  private async sync(uid: string): Promise<void> {
    const pod = this.podOf(uid);
    if (!pod) return this.workers.cleanup(uid);
    const res = await this.workers.syncPod(pod);
    if (res.requeueAfterMs !== undefined) this.queue.addAfter(uid, res.requeueAfterMs);
  }

  // PLEG: pods whose containers or sandboxes changed since the last relist get a sync; runtime pods without an API pod get cleaned up.
  private async relist(): Promise<void> {
    if (this.stopped) return;
    try {
      const now = fingerprints(await this.reader.relist());
      for (const [uid, fp] of now) {
        if (this.seen.get(uid) !== fp || !this.podOf(uid)) this.enqueue(uid);
      }
      for (const uid of this.seen.keys()) if (!now.has(uid)) this.enqueue(uid);
      this.seen.clear();
      for (const [uid, fp] of now) this.seen.set(uid, fp);
    } catch (e) {
      log.warn('relist failed', { err: (e as Error).message });
    }
    if (!this.stopped) this.relistTimer = this.deps.clock.setTimeout(() => void this.relist(), RELIST_MS);
  }
}
