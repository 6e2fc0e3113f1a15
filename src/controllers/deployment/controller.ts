// The Deployment controller: handlers enqueue Deployment keys; syncDeployment(key) claims ReplicaSets and runs the paused, scaling or rollout path.
import type { EventRecorder } from '../../client/events';
import type { Informer } from '../../client/informer';
import { keyOf } from '../../client/informer';
import type { ResourceClient } from '../../client/types';
import { runWorkers, WorkQueue } from '../../client/work-queue';
import { labelSelectorFromObject, matchesLabels } from '../../machinery/labels';
import type { Clock } from '../../util/clock';
import { logger } from '../../util/log';
import { claimObjects, getControllerOf, recheckOwner } from '../shared/controller-ref';
import { errorMessage, isConflict } from '../shared/errors';
import { indexByController, indexByNamespace, listControlledBy, listInNamespace, ownersSelecting, resolveControllerRef } from '../shared/informer-index';
import type { Deployment, Pod, ReplicaSet } from '../shared/types';
import type { DeploymentPort, SyncContext } from './port';
import type { PodMap } from './recreate';
import { rolloutRecreate } from './recreate';
import { DEPLOYMENT_KIND } from './replicasets';
import { rolloutRolling } from './rolling';
import { checkPausedConditions, isScalingEvent, sync, syncStatusOnly } from './sync';

const log = logger('deployment-controller');

/** Everything the controller needs; tests swap the port for a recording fake. */
export interface DeploymentControllerOptions {
  deployments: ResourceClient<Deployment>;
  replicaSets: ResourceClient<ReplicaSet>;
  dInformer: Informer<Deployment>;
  rsInformer: Informer<ReplicaSet>;
  podInformer: Informer<Pod>;
  port: DeploymentPort;
  recorder: EventRecorder;
  clock: Clock;
}

/** Rolls Deployments out through ReplicaSets. */
export class DeploymentController {
  readonly queue: WorkQueue;
  private readonly o: DeploymentControllerOptions;
  private readonly ctx: SyncContext;

  constructor(o: DeploymentControllerOptions) {
    this.o = o;
    this.queue = new WorkQueue(o.clock);
    indexByNamespace(o.dInformer);
    indexByNamespace(o.rsInformer);
    indexByController(o.podInformer);
    this.ctx = {
      port: o.port,
      recorder: o.recorder,
      cachedReplicaSet: (ns, name) => o.rsInformer.get(`${ns}/${name}`),
      now: () => o.clock.now(),
      requeue: (d, ms) => (ms === 0 ? this.queue.addRateLimited(keyOf(d)) : this.queue.addAfter(keyOf(d), ms)),
    };
    o.dInformer.on({ add: (d) => this.enqueue(d), update: (_, d) => this.enqueue(d), delete: (d) => this.enqueue(d) });
    o.rsInformer.on({ add: (rs) => this.addReplicaSet(rs), update: (a, b) => this.updateReplicaSet(a, b), delete: (rs) => this.deleteReplicaSet(rs) });
    o.podInformer.on({ delete: (p) => this.deletePod(p) });
  }

  /** Starts `workers` workers once the informers have synced; resolves when the queue shuts down. A conflict (a write racing our own earlier one) is routine. */
  async run(workers: number): Promise<void> {
    await Promise.all([this.o.dInformer.waitForSync(), this.o.rsInformer.waitForSync(), this.o.podInformer.waitForSync()]);
    await runWorkers(this.queue, workers, (key) => this.syncDeployment(key), (key, err) => log[isConflict(err) ? 'debug' : 'warn']('sync failed; retrying', { obj: key, err: errorMessage(err) }));
  }

  /** Reconciles one Deployment by key. */
  async syncDeployment(key: string): Promise<void> {
    const cached = this.o.dInformer.get(key);
    if (!cached) return;
    // Sync steps record what they wrote on this copy (revision, conditions, resourceVersion).
    const d = structuredClone(cached);
    const rsList = await this.getReplicaSetsForDeployment(d);
    if (d.metadata.deletionTimestamp) return syncStatusOnly(this.ctx, d, rsList);
    await checkPausedConditions(this.ctx, d);
    if (d.spec.paused) return sync(this.ctx, d, rsList);
    if (await isScalingEvent(this.ctx, d, rsList)) return sync(this.ctx, d, rsList);
    switch (d.spec.strategy?.type) {
      case 'Recreate':
        return rolloutRecreate(this.ctx, d, rsList, this.podMapForDeployment(d, rsList));
      case 'RollingUpdate':
        return rolloutRolling(this.ctx, d, rsList);
    }
    throw new Error(`unexpected deployment strategy type: ${d.spec.strategy?.type}`);
  }

  /** The Deployment's ReplicaSets, adopting matching orphans and releasing owned ones that stopped matching. */
  private getReplicaSetsForDeployment(d: Deployment): Promise<ReplicaSet[]> {
    return claimObjects(listInNamespace(this.o.rsInformer, d.metadata.namespace!), {
      owner: d,
      kind: DEPLOYMENT_KIND,
      selector: labelSelectorFromObject(d.spec.selector),
      objectKind: 'ReplicaSet',
      patch: (ns, name, patch) => this.o.replicaSets.patch(ns, name, 'strategic', patch),
      canAdopt: () => recheckOwner(d, () => this.o.deployments.get(d.metadata.namespace!, d.metadata.name!)),
    });
  }

  /** Pods matching the selector, by the UID of the Deployment's ReplicaSet controlling them. */
  private podMapForDeployment(d: Deployment, rsList: ReplicaSet[]): PodMap {
    const selector = labelSelectorFromObject(d.spec.selector);
    return new Map(rsList.map((rs) => [rs.metadata.uid!, listControlledBy(this.o.podInformer, rs.metadata.uid!).filter((p) => matchesLabels(selector, p.metadata.labels))]));
  }

  private enqueue(d: Deployment): void {
    this.queue.add(keyOf(d));
  }

  /** The Deployment a controller ref points at, if it exists and is the same object (UID). */
  private resolveControllerRef(namespace: string, ref: { kind: string; name: string; uid: string }): Deployment | undefined {
    return resolveControllerRef(this.o.dInformer, DEPLOYMENT_KIND, namespace, ref);
  }

  /** Deployments whose selector matches an orphan ReplicaSet: they may adopt it. */
  private deploymentsMatching(rs: ReplicaSet): Deployment[] {
    return ownersSelecting(this.o.dInformer, rs);
  }

  private addReplicaSet(rs: ReplicaSet): void {
    if (rs.metadata.deletionTimestamp) return this.deleteReplicaSet(rs);
    const ref = getControllerOf(rs);
    if (ref) {
      const d = this.resolveControllerRef(rs.metadata.namespace ?? '', ref);
      if (d) this.enqueue(d);
      return;
    }
    for (const d of this.deploymentsMatching(rs)) this.enqueue(d);
  }

  private updateReplicaSet(old: ReplicaSet, cur: ReplicaSet): void {
    if (cur.metadata.resourceVersion === old.metadata.resourceVersion) return;
    const curRef = getControllerOf(cur);
    const oldRef = getControllerOf(old);
    const refChanged = JSON.stringify(curRef) !== JSON.stringify(oldRef);
    if (refChanged && oldRef) {
      const d = this.resolveControllerRef(old.metadata.namespace ?? '', oldRef);
      if (d) this.enqueue(d);
    }
    if (curRef) {
      const d = this.resolveControllerRef(cur.metadata.namespace ?? '', curRef);
      if (d) this.enqueue(d);
      return;
    }
    const labelsChanged = JSON.stringify(cur.metadata.labels ?? {}) !== JSON.stringify(old.metadata.labels ?? {});
    if (labelsChanged || refChanged) for (const d of this.deploymentsMatching(cur)) this.enqueue(d);
  }

  private deleteReplicaSet(rs: ReplicaSet): void {
    const ref = getControllerOf(rs);
    if (!ref) return;
    const d = this.resolveControllerRef(rs.metadata.namespace ?? '', ref);
    if (d) this.enqueue(d);
  }

  /** A Recreate rollout waits for the last old pod to be gone; its deletion is the signal to go on. */
  private deletePod(pod: Pod): void {
    const ref = getControllerOf(pod);
    if (ref?.kind !== 'ReplicaSet') return;
    const rs = this.o.rsInformer.get(`${pod.metadata.namespace}/${ref.name}`);
    if (!rs || rs.metadata.uid !== ref.uid) return;
    const dRef = getControllerOf(rs);
    const d = dRef && this.resolveControllerRef(rs.metadata.namespace ?? '', dRef);
    if (!d || d.spec.strategy?.type !== 'Recreate') return;
    const owned = listInNamespace(this.o.rsInformer, d.metadata.namespace!).filter((r) => getControllerOf(r)?.uid === d.metadata.uid);
    let pods = 0;
    for (const list of this.podMapForDeployment(d, owned).values()) pods += list.length;
    if (pods === 0) this.enqueue(d);
  }
}
