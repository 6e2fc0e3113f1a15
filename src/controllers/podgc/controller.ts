// The pod garbage collector: every gcCheckPeriod it deletes finished pods beyond the threshold, pods of deleted or out-of-service nodes, and unscheduled terminating pods.
import type { Node } from 'kubernetes-types/core/v1';
import type { KObject } from '../../api/types';
import type { Informer } from '../../client/informer';
import { keyOf } from '../../client/informer';
import type { Clock } from '../../util/clock';
import { logger } from '../../util/log';
import { errorMessage, isNotFound } from '../shared/errors';
import type { Pod } from '../shared/types';
import {
  failedStatusPatch,
  GC_CHECK_PERIOD_MS,
  missingNodes,
  ORPHANED_CONDITION,
  orphanedPods,
  QUARANTINE_MS,
  TERMINATED_POD_GC_THRESHOLD,
  terminatedPodsToDelete,
  terminatingOutOfServicePods,
  unscheduledTerminatingPods,
} from './decide';

const log = logger('pod-garbage-collector');

/** The collector's writes and its one live read. */
export interface PodGCPort {
  /** Whether the node exists, asked of the API server rather than the cache; throws when that cannot be told. */
  nodeExists(name: string): Promise<boolean>;
  /** Patches the pod's status (strategic merge, guarded by the uid in the patch). */
  patchPodStatus(namespace: string, name: string, patch: unknown): Promise<void>;
  /** Deletes the pod with grace period 0; a pod already gone is not an error. */
  forceDeletePod(namespace: string, name: string): Promise<void>;
}

/** Options of the collector; the defaults are upstream's. */
export interface PodGCOptions {
  podInformer: Informer<Pod>;
  nodeInformer: Informer<Node & KObject>;
  port: PodGCPort;
  clock: Clock;
  /** --terminated-pod-gc-threshold; 0 or less turns collecting finished pods off. */
  terminatedPodThreshold?: number;
  gcCheckPeriodMs?: number;
  quarantineMs?: number;
}

/** upstream PodGCController. */
export class PodGCController {
  private readonly o: Required<PodGCOptions>;
  /** Nodes missing from the informer, with the time their quarantine ends (upstream's delaying nodeQueue). */
  private readonly quarantine = new Map<string, number>();
  private timer?: { cancel(): void };
  private stopped = false;

  constructor(o: PodGCOptions) {
    this.o = { terminatedPodThreshold: TERMINATED_POD_GC_THRESHOLD, gcCheckPeriodMs: GC_CHECK_PERIOD_MS, quarantineMs: QUARANTINE_MS, ...o };
  }

  /** Runs gc every period once both informers have synced. */
  async run(): Promise<void> {
    await Promise.all([this.o.podInformer.waitForSync(), this.o.nodeInformer.waitForSync()]);
    const loop = async () => {
      if (this.stopped) return;
      await this.gc().catch((e) => log.warn('pod gc failed', { err: errorMessage(e) }));
      if (!this.stopped) this.timer = this.o.clock.setTimeout(() => void loop(), this.o.gcCheckPeriodMs);
    };
    await loop();
  }

  /** Stops the periodic runs. */
  stop(): void {
    this.stopped = true;
    this.timer?.cancel();
  }

  /** One pass over the cached pods and nodes (upstream gc). */
  async gc(): Promise<void> {
    const pods = this.o.podInformer.list();
    const nodes = new Map(this.o.nodeInformer.list().map((n) => [n.metadata.name!, n]));
    const terminated = terminatedPodsToDelete(pods, this.o.terminatedPodThreshold);
    if (terminated.length) log.info('garbage collecting terminated pods', { count: terminated.length });
    await this.deleteAll(terminated, 'terminated');
    await this.deleteAll(terminatingOutOfServicePods(pods, nodes), 'terminating on an out-of-service node');
    const deleted = await this.discoverDeletedNodes(missingNodes(pods, new Set(nodes.keys())), new Set(nodes.keys()));
    await this.deleteAll(orphanedPods(pods, deleted), 'orphaned: its node no longer exists', ORPHANED_CONDITION);
    await this.deleteAll(unscheduledTerminatingPods(pods), 'unscheduled and terminating');
  }

  /**
   * upstream gcOrphaned's quarantine: a node missing from the informer is looked up once quarantineMs has passed, and
   * counts as deleted only when the API server says 404.
   */
  private async discoverDeletedNodes(missing: Set<string>, existing: Set<string>): Promise<Set<string>> {
    const now = this.o.clock.now();
    for (const name of missing) if (!this.quarantine.has(name)) this.quarantine.set(name, now + this.o.quarantineMs);
    const deleted = new Set<string>();
    for (const [name, due] of this.quarantine) {
      if (due > now) continue;
      this.quarantine.delete(name);
      if (existing.has(name)) continue;
      try {
        if (!(await this.o.port.nodeExists(name))) deleted.add(name);
      } catch (e) {
        // Quarantined again on the next pass if its pods are still there.
        log.warn('error while getting node', { obj: name, err: errorMessage(e) });
      }
    }
    return deleted;
  }

  /** upstream markFailedAndDeletePod for each pod: Failed first (with `condition`), then a forced delete; errors are logged, the next pass retries. */
  private async deleteAll(pods: Pod[], why: string, condition?: typeof ORPHANED_CONDITION): Promise<void> {
    await Promise.all(
      pods.map(async (pod) => {
        const ns = pod.metadata.namespace!;
        const name = pod.metadata.name!;
        try {
          log.info('PodGC is force deleting Pod', { obj: keyOf(pod), reason: why });
          const patch = failedStatusPatch(pod, condition, this.o.clock.now());
          if (patch) await this.o.port.patchPodStatus(ns, name, patch);
          await this.o.port.forceDeletePod(ns, name);
        } catch (e) {
          if (!isNotFound(e)) log.warn('cannot garbage collect pod', { obj: keyOf(pod), err: errorMessage(e) });
        }
      }),
    );
  }
}
