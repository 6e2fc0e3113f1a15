// The ReplicaSet controller: informer handlers enqueue ReplicaSet keys; sync(key) claims pods, creates or deletes the difference, writes status.
import type { ReplicaSetStatus } from 'kubernetes-types/apps/v1';
import type { Informer } from '../../client/informer';
import { keyOf, splitKey } from '../../client/informer';
import type { ResourceClient } from '../../client/types';
import { runWorkers, WorkQueue } from '../../client/work-queue';
import { labelSelectorFromObject } from '../../machinery/labels';
import type { Clock } from '../../util/clock';
import { logger } from '../../util/log';
import { claimObjects, getControllerOf, newControllerRef, recheckOwner } from '../shared/controller-ref';
import type { ControllerKind } from '../shared/controller-ref';
import { errorMessage, isConflict } from '../shared/errors';
import { ControllerExpectations } from '../shared/expectations';
import { indexByController, indexByNamespace, listControlledBy, listInNamespace, listOrphans, ownersSelecting, resolveControllerRef } from '../shared/informer-index';
import type { PodControl } from '../shared/pod-control';
import { isPodReady, podKey } from '../shared/pod-util';
import { createPodsSlowStart, deletePodsAwaited } from '../shared/manage-pods';
import type { Pod, ReplicaSet } from '../shared/types';
import { specReplicas } from '../shared/types';
import { calculateStatus, filterActivePods, podsToCreate, podsToDelete, statusNeedsUpdate } from './reconcile';

const log = logger('replicaset-controller');

/** apps/v1 ReplicaSet, the kind of the controller refs this controller writes. */
export const REPLICASET_KIND: ControllerKind = { apiVersion: 'apps/v1', kind: 'ReplicaSet' };

/** True when an update changed nothing but status (and the resourceVersion and managedFields that come with it). */
export function statusOnlyChange(old: ReplicaSet, cur: ReplicaSet): boolean {
  const meta = (o: ReplicaSet) => ({ ...o.metadata, resourceVersion: undefined, managedFields: undefined });
  return o2s(old.spec) === o2s(cur.spec) && o2s(meta(old)) === o2s(meta(cur));
}

const o2s = (v: unknown) => JSON.stringify(v);

/** Everything the controller needs; tests swap podControl for a recording fake. */
export interface ReplicaSetControllerOptions {
  replicaSets: ResourceClient<ReplicaSet>;
  pods: ResourceClient<Pod>;
  rsInformer: Informer<ReplicaSet>;
  podInformer: Informer<Pod>;
  podControl: PodControl;
  clock: Clock;
}

/** Keeps each ReplicaSet's pod count at spec.replicas and its status current. */
export class ReplicaSetController {
  readonly queue: WorkQueue;
  readonly expectations: ControllerExpectations;
  private readonly o: ReplicaSetControllerOptions;

  constructor(o: ReplicaSetControllerOptions) {
    this.o = o;
    this.queue = new WorkQueue(o.clock);
    this.expectations = new ControllerExpectations(o.clock);
    indexByNamespace(o.rsInformer);
    indexByController(o.podInformer);
    o.rsInformer.on({
      add: (rs) => this.enqueue(rs),
      update: (old, rs) => {
        // A ReplicaSet deleted and re-created under the same name owes nothing to the old one's expectations.
        if (old.metadata.uid !== rs.metadata.uid) this.expectations.delete(keyOf(old));
        // Upstream syncs on every update; a status-only change (our own status write coming back) leaves nothing to do.
        if (!statusOnlyChange(old, rs)) this.enqueue(rs);
      },
      delete: (rs) => {
        this.expectations.delete(keyOf(rs));
        this.enqueue(rs);
      },
    });
    o.podInformer.on({ add: (p) => this.addPod(p), update: (a, b) => this.updatePod(a, b), delete: (p) => this.deletePod(p) });
  }

  /** Starts `workers` workers once both informers have synced; resolves when the queue shuts down. A conflict (a write racing our own earlier one) is routine. */
  async run(workers: number): Promise<void> {
    await Promise.all([this.o.rsInformer.waitForSync(), this.o.podInformer.waitForSync()]);
    await runWorkers(this.queue, workers, (key) => this.sync(key), (key, err) => log[isConflict(err) ? 'debug' : 'warn']('sync failed; retrying', { obj: key, err: errorMessage(err) }));
  }

  /** Reconciles one ReplicaSet by key. */
  async sync(key: string): Promise<void> {
    const rs = this.o.rsInformer.get(key);
    if (!rs) {
      this.expectations.delete(key);
      return;
    }
    const rsNeedsSync = this.expectations.satisfied(key);
    const selector = labelSelectorFromObject(rs.spec.selector);
    // Pods we control (those that stopped matching are released) and orphans (those that match are adopted);
    // pods of other controllers are never claimed.
    const ns = splitKey(key).namespace;
    const active = filterActivePods([...listControlledBy(this.o.podInformer, rs.metadata.uid!), ...listOrphans(this.o.podInformer, ns)]);
    const pods = await claimObjects(active, {
      owner: rs,
      kind: REPLICASET_KIND,
      selector,
      objectKind: 'Pod',
      patch: (namespace, name, patch) => this.o.pods.patch(namespace, name, 'strategic', patch),
      canAdopt: () => recheckOwner(rs, () => this.o.replicaSets.get(rs.metadata.namespace!, rs.metadata.name!)),
    });
    let manageReplicasErr: unknown;
    if (rsNeedsSync && !rs.metadata.deletionTimestamp) {
      try {
        await this.manageReplicas(pods, rs);
      } catch (e) {
        manageReplicasErr = e;
      }
    }
    const now = this.o.clock.now();
    const updated = await this.updateStatus(rs, calculateStatus(rs, pods, manageReplicasErr, now));
    // Pods turn available minReadySeconds after turning ready, with no event to say so: look again then.
    const st: ReplicaSetStatus = updated.status ?? { replicas: 0 };
    const minReady = updated.spec.minReadySeconds ?? 0;
    const want = specReplicas(updated);
    if (manageReplicasErr === undefined && minReady > 0 && (st.readyReplicas ?? 0) === want && (st.availableReplicas ?? 0) !== want) {
      this.queue.addAfter(key, minReady * 1000);
    }
    if (manageReplicasErr !== undefined) throw manageReplicasErr;
  }

  /** Creates or deletes pods to close the gap to spec.replicas, under expectations. */
  private async manageReplicas(pods: Pod[], rs: ReplicaSet): Promise<void> {
    const key = keyOf(rs);
    const namespace = rs.metadata.namespace!;
    const create = podsToCreate(rs, pods);
    if (create > 0) {
      this.expectations.expectCreations(key, create);
      const ref = newControllerRef(rs, REPLICASET_KIND);
      const { error } = await createPodsSlowStart(this.expectations, key, new Array(create).fill(rs.spec.template ?? {}), (t) => this.o.podControl.createPods(namespace, t, rs, ref));
      if (error !== undefined) throw error;
      return;
    }
    if (pods.length <= specReplicas(rs)) return;
    const victims = podsToDelete(rs, pods, this.indirectlyRelatedPods(rs), this.o.clock.now());
    this.expectations.expectDeletions(key, victims.map(podKey));
    const error = await deletePodsAwaited(this.o.podControl, this.expectations, key, rs, victims);
    if (error !== undefined) throw error;
  }

  /** Pods of every ReplicaSet sharing this one's controller (e.g. all ReplicaSets of a Deployment), for ranking. */
  private indirectlyRelatedPods(rs: ReplicaSet): Pod[] {
    const owner = getControllerOf(rs);
    const ns = rs.metadata.namespace!;
    const rsUids = new Set([rs.metadata.uid!]);
    if (owner) for (const other of listInNamespace(this.o.rsInformer, ns)) if (getControllerOf(other)?.uid === owner.uid) rsUids.add(other.metadata.uid!);
    return [...rsUids].flatMap((uid) => listControlledBy(this.o.podInformer, uid));
  }

  /** Writes the status unless nothing changed; one retry on a fresh copy after a failure, as upstream. */
  private async updateStatus(rs: ReplicaSet, next: ReplicaSetStatus): Promise<ReplicaSet> {
    if (!statusNeedsUpdate(rs, next)) return rs;
    const status: ReplicaSetStatus = { ...next };
    if (rs.metadata.generation) status.observedGeneration = rs.metadata.generation;
    else delete status.observedGeneration;
    const ns = rs.metadata.namespace!;
    try {
      return await this.o.replicaSets.updateStatus(ns, { ...rs, status });
    } catch (e) {
      const fresh = await this.o.replicaSets.get(ns, rs.metadata.name!);
      log.debug('status update failed; retrying on a fresh copy', { obj: keyOf(rs), err: errorMessage(e) });
      return await this.o.replicaSets.updateStatus(ns, { ...fresh, status });
    }
  }

  private enqueue(rs: ReplicaSet): void {
    this.queue.add(keyOf(rs));
  }

  /** The ReplicaSet a controller ref points at, if it exists and is the same object (UID). */
  private resolveControllerRef(namespace: string, ref: { kind: string; name: string; uid: string }): ReplicaSet | undefined {
    return resolveControllerRef(this.o.rsInformer, REPLICASET_KIND, namespace, ref);
  }

  /** ReplicaSets whose selector matches an orphan pod: they may adopt it. */
  private replicaSetsMatching(pod: Pod): ReplicaSet[] {
    return ownersSelecting(this.o.rsInformer, pod);
  }

  private addPod(pod: Pod): void {
    // A pod already being deleted when first seen (after a restart) is not a creation we waited for.
    if (pod.metadata.deletionTimestamp) return this.deletePod(pod);
    const ref = getControllerOf(pod);
    if (ref) {
      const rs = this.resolveControllerRef(pod.metadata.namespace ?? '', ref);
      if (!rs) return;
      this.expectations.creationObserved(keyOf(rs));
      this.enqueue(rs);
      return;
    }
    for (const rs of this.replicaSetsMatching(pod)) this.enqueue(rs);
  }

  private updatePod(old: Pod, cur: Pod): void {
    if (cur.metadata.resourceVersion === old.metadata.resourceVersion) return;
    const labelsChanged = JSON.stringify(cur.metadata.labels ?? {}) !== JSON.stringify(old.metadata.labels ?? {});
    if (cur.metadata.deletionTimestamp) {
      // A graceful delete shows up first as a deletionTimestamp: replace the pod now, not when it is gone.
      this.deletePod(cur);
      if (labelsChanged) this.deletePod(old);
      return;
    }
    const curRef = getControllerOf(cur);
    const oldRef = getControllerOf(old);
    const refChanged = JSON.stringify(curRef) !== JSON.stringify(oldRef);
    if (refChanged && oldRef) {
      const rs = this.resolveControllerRef(old.metadata.namespace ?? '', oldRef);
      if (rs) this.enqueue(rs);
    }
    if (curRef) {
      const rs = this.resolveControllerRef(cur.metadata.namespace ?? '', curRef);
      if (!rs) return;
      this.enqueue(rs);
      // The pod turns available minReadySeconds after it turned ready; a second more avoids clock skew.
      const minReady = rs.spec.minReadySeconds ?? 0;
      if (!isPodReady(old) && isPodReady(cur) && minReady > 0) this.queue.addAfter(keyOf(rs), minReady * 1000 + 1000);
      return;
    }
    if (labelsChanged || refChanged) for (const rs of this.replicaSetsMatching(cur)) this.enqueue(rs);
  }

  private deletePod(pod: Pod): void {
    const ref = getControllerOf(pod);
    if (!ref) return;
    const rs = this.resolveControllerRef(pod.metadata.namespace ?? '', ref);
    if (!rs) return;
    this.expectations.deletionObserved(keyOf(rs), podKey(pod));
    this.enqueue(rs);
  }
}
