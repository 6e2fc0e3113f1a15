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
import { MAX_PODS } from './node-status';
import { runtimeFingerprints, type RuntimeReader } from './runtime';
import { podMountsObject, type VolumeObjectKind } from './volume-refs';

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

/**
 * The pods a relist wakes (PLEG): those whose runtime state changed since the last relist, unless their worker has
 * already read that very state (it has acted on it and posted its status), those gone from the runtime, and runtime
 * pods without an API pod (to clean up).
 */
export function podsToSync(seen: ReadonlyMap<string, string>, now: ReadonlyMap<string, string>, observed: (uid: string) => string | undefined, known: (uid: string) => boolean): string[] {
  const out: string[] = [];
  for (const [uid, fp] of now) {
    if (!known(uid) || (seen.get(uid) !== fp && observed(uid) !== fp)) out.push(uid);
  }
  for (const uid of seen.keys()) if (!now.has(uid)) out.push(uid);
  return out;
}

/** Whether an update changed what the kubelet acts on: spec, deletion, labels or annotations (downward API), or the uid. */
export function specChanged(old: KObject, cur: KObject): boolean {
  const m = (o: KObject) => [o.metadata.uid, o.metadata.deletionTimestamp, o.metadata.deletionGracePeriodSeconds, o.metadata.labels, o.metadata.annotations];
  return JSON.stringify([m(old), old.spec]) !== JSON.stringify([m(cur), cur.spec]);
}

/** Whether an update changed what a volume shows of a ConfigMap or Secret. */
export function contentChanged(old: KObject, cur: KObject): boolean {
  const c = (o: KObject) => [o.data, o.binaryData];
  return JSON.stringify(c(old)) !== JSON.stringify(c(cur));
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
    // A changed ConfigMap or Secret refreshes the volumes of the pods showing it at once, not at their next periodic sync.
    for (const [resource, kind] of [[R.configmaps, 'ConfigMap'], [R.secrets, 'Secret']] as const) {
      const onObject = (o: KObject) => this.syncPodsMounting(kind, o);
      deps.informers.for(resource).on({ add: onObject, update: (old, cur) => contentChanged(old, cur) && onObject(cur), delete: onObject });
    }
  }

  // Queues the pods of this node whose volumes show `obj`.
  private syncPodsMounting(kind: VolumeObjectKind, obj: KObject): void {
    for (const p of this.pods.byIndex(NODE_NAME_INDEX, this.opts.nodeName)) {
      if (p.metadata.namespace === obj.metadata.namespace && podMountsObject(p as Pod, kind, obj.metadata.name!)) this.enqueue(p.metadata.uid!);
    }
  }

  /** Waits for the pod cache, then syncs every pod of the node (re-adopting what runs) and starts relisting. */
  async start(): Promise<void> {
    await this.pods.waitForSync();
    if (this.stopped) return;
    // One worker per pod the node can hold, as upstream runs a goroutine per pod: a burst of new pods never waits for a free worker.
    void runWorkers(this.queue, this.opts.workers ?? MAX_PODS, (uid) => this.sync(uid), (uid, err) => {
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
      const now = runtimeFingerprints(await this.reader.relist());
      for (const uid of podsToSync(this.seen, now, (u) => this.reader.lastObserved(u), (u) => this.podOf(u) !== undefined)) this.enqueue(uid);
      this.seen.clear();
      for (const [uid, fp] of now) this.seen.set(uid, fp);
    } catch (e) {
      log.warn('relist failed', { err: (e as Error).message });
    }
    if (!this.stopped) this.relistTimer = this.deps.clock.setTimeout(() => void this.relist(), RELIST_MS);
  }
}
