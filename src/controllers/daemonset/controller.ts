// The DaemonSet controller: handlers enqueue DaemonSet keys; sync(key) settles the revision, places and removes pods per node, rolls updates, writes status.
import type { DaemonSetStatus } from 'kubernetes-types/apps/v1';
import type { EventRecorder } from '../../client/events';
import type { Informer } from '../../client/informer';
import { keyOf } from '../../client/informer';
import type { ResourceClient } from '../../client/types';
import { runWorkers, WorkQueue } from '../../client/work-queue';
import { labelSelectorFromObject } from '../../machinery/labels';
import type { Clock } from '../../util/clock';
import { logger } from '../../util/log';
import type { ControllerKind } from '../shared/controller-ref';
import { claimObjects, getControllerOf, newControllerRef, recheckOwner } from '../shared/controller-ref';
import { errorMessage, isAlreadyExists, isNotFound } from '../shared/errors';
import { ControllerExpectations } from '../shared/expectations';
import { indexByNamespace, listInNamespace, ownersSelecting, resolveControllerRef } from '../shared/informer-index';
import type { PodControl } from '../shared/pod-control';
import { isPodReady, podKey } from '../shared/pod-util';
import { createPodsSlowStart, deletePodsAwaited } from '../shared/manage-pods';
import type { Pod } from '../shared/types';
import { computeHash } from '../shared/hash';
import type { Revision } from '../shared/history';
import { CONTROLLER_REVISION_HASH_LABEL, equalRevision, newControllerRevision, ownedRevisions, revisionsToTruncate, templatePatch } from '../shared/history';
import type { DaemonSet, Node } from './eligibility';
import { nodeShouldRunDaemonPod, targetNodeName } from './eligibility';
import { calculateStatus, manage, newPodTemplate, podTemplateForNode, rollingUpdate, statusNeedsUpdate } from './reconcile';

const log = logger('daemonset-controller');

/** apps/v1 DaemonSet, the kind of the controller refs this controller writes. */
export const DAEMONSET_KIND: ControllerKind = { apiVersion: 'apps/v1', kind: 'DaemonSet' };

// upstream failedPodsBackoff: 1 s doubling to 15 min between kills of a failed daemon pod on one node.
const FAILED_POD_BACKOFF_MS = 1000;
const FAILED_POD_BACKOFF_MAX_MS = 15 * 60_000;

/** Everything the controller needs; tests pass clients and informers of a test API server. */
export interface DaemonSetControllerOptions {
  daemonSets: ResourceClient<DaemonSet>;
  pods: ResourceClient<Pod>;
  revisions: ResourceClient<Revision>;
  dsInformer: Informer<DaemonSet>;
  podInformer: Informer<Pod>;
  nodeInformer: Informer<Node>;
  revisionInformer: Informer<Revision>;
  podControl: PodControl;
  recorder: EventRecorder;
  clock: Clock;
}

/** Keeps one pod of each DaemonSet on every node that should run it. */
export class DaemonSetController {
  readonly queue: WorkQueue;
  readonly expectations: ControllerExpectations;
  private readonly o: DaemonSetControllerOptions;
  private readonly failedBackoff = new Map<string, { delay: number; at: number }>();

  constructor(o: DaemonSetControllerOptions) {
    this.o = o;
    this.queue = new WorkQueue(o.clock);
    this.expectations = new ControllerExpectations(o.clock);
    indexByNamespace(o.dsInformer);
    indexByNamespace(o.podInformer);
    indexByNamespace(o.revisionInformer);
    o.dsInformer.on({
      add: (ds) => this.enqueue(ds),
      update: (_, ds) => this.enqueue(ds),
      delete: (ds) => {
        this.expectations.delete(keyOf(ds));
        this.enqueue(ds);
      },
    });
    o.podInformer.on({ add: (p) => this.addPod(p), update: (a, b) => this.updatePod(a, b), delete: (p) => this.deletePod(p) });
    o.nodeInformer.on({ add: (n) => this.nodeChanged(undefined, n), update: (a, b) => this.nodeChanged(a, b), delete: () => this.enqueueAll() });
  }

  /** Starts workers once the informers have synced; resolves when the queue shuts down. */
  async run(workers: number): Promise<void> {
    await Promise.all([this.o.dsInformer, this.o.podInformer, this.o.nodeInformer, this.o.revisionInformer].map((i) => i.waitForSync()));
    await runWorkers(this.queue, workers, (key) => this.sync(key), (key, err) => log.warn('sync failed; retrying', { obj: key, err: errorMessage(err) }));
  }

  /** Reconciles one DaemonSet by key. */
  async sync(key: string): Promise<void> {
    const ds = this.o.dsInformer.get(key);
    if (!ds) {
      this.expectations.delete(key);
      return;
    }
    const selector = labelSelectorFromObject(ds.spec.selector);
    if (!selector.length) {
      this.o.recorder.event(ds, 'Warning', 'SelectingAll', 'This daemon set is selecting all pods. A non-empty selector is required.');
      return;
    }
    if (ds.metadata.deletionTimestamp) return;
    const hash = await this.constructHistory(ds);
    const nodes = this.o.nodeInformer.list();
    const now = () => this.o.clock.now();
    let nodeToPods = await this.nodesToDaemonPods(ds);
    if (this.expectations.satisfied(key)) {
      const plan = manage(ds, nodes, nodeToPods, hash, now());
      await this.syncNodes(ds, [...plan.deletePods, ...this.failedPodsToKill(ds, plan.failedPods)], plan.createOn, hash);
      if (this.expectations.satisfied(key) && ds.spec.updateStrategy?.type === 'RollingUpdate') {
        const update = rollingUpdate(ds, nodes, nodeToPods, hash, now());
        await this.syncNodes(ds, update.deletePods, update.createOn, hash);
      }
      // Status counts what the cache shows after the writes.
      nodeToPods = this.mapToNodes(ds, listInNamespace(this.o.podInformer, ds.metadata.namespace!));
    }
    const status = calculateStatus(ds, nodes, nodeToPods, hash, now());
    await this.writeStatus(ds, status);
    const minReady = ds.spec.minReadySeconds ?? 0;
    if (minReady > 0 && status.numberReady !== (status.numberAvailable ?? 0)) this.queue.addAfter(key, minReady * 1000);
  }

  /** upstream constructHistory + cleanupHistory: the current revision's hash; old unused revisions beyond the limit go. */
  private async constructHistory(ds: DaemonSet): Promise<string> {
    const ns = ds.metadata.namespace!;
    const revisions = ownedRevisions(listInNamespace(this.o.revisionInformer, ns), ds);
    const data = templatePatch(ds.spec.template);
    const probe = { data } as unknown as Revision;
    const matching = revisions.filter((r) => equalRevision(r, probe));
    const old = revisions.filter((r) => !matching.includes(r));
    const next = old.reduce((m, r) => Math.max(m, r.revision), 0) + 1;
    let cur = matching[matching.length - 1];
    if (!cur) cur = await this.snapshot(ds, data, next);
    else if (cur.revision < next) cur = await this.o.revisions.update(ns, { ...cur, revision: next });
    const hash = cur.metadata.labels?.[CONTROLLER_REVISION_HASH_LABEL] ?? cur.metadata.name!;
    const limit = ds.spec.revisionHistoryLimit ?? 10;
    if (old.length > limit) {
      const liveHashes = new Set(listInNamespace(this.o.podInformer, ns).map((p) => p.metadata.labels?.[CONTROLLER_REVISION_HASH_LABEL]));
      const live = new Set(old.filter((r) => liveHashes.has(r.metadata.labels?.[CONTROLLER_REVISION_HASH_LABEL])).map((r) => r.metadata.name!));
      for (const r of revisionsToTruncate(old, live, limit)) await this.o.revisions.delete(ns, r.metadata.name!).catch((e) => (isNotFound(e) ? undefined : Promise.reject(e)));
    }
    return hash;
  }

  /** upstream snapshot: a new revision named after the template hash; a name taken by other data bumps collisionCount. */
  private async snapshot(ds: DaemonSet, data: ReturnType<typeof templatePatch>, revision: number): Promise<Revision> {
    const ns = ds.metadata.namespace!;
    const collisionCount = ds.status?.collisionCount;
    const rev = newControllerRevision(ds, DAEMONSET_KIND, ds.spec.template.metadata?.labels, data, revision, computeHash(ds.spec.template, collisionCount));
    if (ds.metadata.annotations) rev.metadata.annotations = { ...ds.metadata.annotations };
    try {
      return await this.o.revisions.create(ns, rev);
    } catch (e) {
      if (!isAlreadyExists(e)) throw e;
      const existing = await this.o.revisions.get(ns, rev.metadata.name!);
      if (equalRevision(existing, rev)) return existing;
      const fresh = await this.o.daemonSets.get(ns, ds.metadata.name!);
      await this.o.daemonSets.updateStatus(ns, { ...fresh, status: { currentNumberScheduled: 0, desiredNumberScheduled: 0, numberMisscheduled: 0, numberReady: 0, ...fresh.status, collisionCount: (collisionCount ?? 0) + 1 } });
      throw new Error(`found a hash collision for DaemonSet "${ds.metadata.name}" - bumping collisionCount to resolve it`);
    }
  }

  /** upstream getNodesToDaemonPods: the DaemonSet's claimed pods by the node they are bound or pinned to. */
  private async nodesToDaemonPods(ds: DaemonSet): Promise<Map<string, Pod[]>> {
    const ns = ds.metadata.namespace!;
    const pods = await claimObjects(listInNamespace(this.o.podInformer, ns), {
      owner: ds,
      kind: DAEMONSET_KIND,
      selector: labelSelectorFromObject(ds.spec.selector),
      objectKind: 'Pod',
      patch: (n, name, patch) => this.o.pods.patch(n, name, 'strategic', patch),
      canAdopt: () => recheckOwner(ds, () => this.o.daemonSets.get(ns, ds.metadata.name!)),
    });
    return this.mapToNodes(ds, pods);
  }

  /** Groups the DaemonSet's pods among `pods` by the node they are bound or pinned to. */
  private mapToNodes(ds: DaemonSet, pods: Pod[]): Map<string, Pod[]> {
    const map = new Map<string, Pod[]>();
    for (const p of pods) {
      const node = targetNodeName(p);
      if (node === undefined || getControllerOf(p)?.uid !== ds.metadata.uid) continue;
      const list = map.get(node) ?? [];
      list.push(p);
      map.set(node, list);
    }
    return map;
  }

  /** Failed daemon pods to delete now: each node's kills are spaced by an exponential backoff, as upstream. */
  private failedPodsToKill(ds: DaemonSet, failed: { pod: Pod; node: string }[]): Pod[] {
    const out: Pod[] = [];
    const now = this.o.clock.now();
    for (const { pod, node } of failed) {
      const key = `${keyOf(ds)}/${node}`;
      const b = this.failedBackoff.get(key);
      if (b && now - b.at < b.delay) {
        this.queue.addAfter(keyOf(ds), b.delay - (now - b.at));
        continue;
      }
      this.failedBackoff.set(key, { delay: b ? Math.min(b.delay * 2, FAILED_POD_BACKOFF_MAX_MS) : FAILED_POD_BACKOFF_MS, at: now });
      this.o.recorder.event(ds, 'Warning', 'FailedDaemonPod', `Found failed daemon pod ${pod.metadata.namespace}/${pod.metadata.name} on node ${node}, will try to kill it`);
      out.push(pod);
    }
    return out;
  }

  /** upstream syncNodes: under one expectation for both, creates one pod per node in slow-start batches, then deletes pods. */
  private async syncNodes(ds: DaemonSet, deletePods: Pod[], createOn: string[], hash: string): Promise<void> {
    if (!deletePods.length && !createOn.length) return;
    const key = keyOf(ds);
    const ns = ds.metadata.namespace!;
    this.expectations.expect(key, createOn.length, deletePods.map(podKey));
    const template = newPodTemplate(ds, hash);
    const ref = newControllerRef(ds, DAEMONSET_KIND);
    const created = await createPodsSlowStart(this.expectations, key, createOn, (node) => this.o.podControl.createPods(ns, podTemplateForNode(template, node), ds, ref));
    const deleteError = await deletePodsAwaited(this.o.podControl, this.expectations, key, ds, deletePods);
    const error = created.error ?? deleteError;
    if (error !== undefined) throw error;
  }

  /** Writes the status when it changed; one retry on a fresh copy after a failure. */
  private async writeStatus(ds: DaemonSet, status: DaemonSetStatus): Promise<void> {
    if (!statusNeedsUpdate(ds, status)) return;
    const ns = ds.metadata.namespace!;
    try {
      await this.o.daemonSets.updateStatus(ns, { ...ds, status });
    } catch (e) {
      if (isNotFound(e)) return;
      const fresh = await this.o.daemonSets.get(ns, ds.metadata.name!);
      const collisionCount = fresh.status?.collisionCount;
      await this.o.daemonSets.updateStatus(ns, { ...fresh, status: { ...status, ...(collisionCount !== undefined ? { collisionCount } : {}) } });
    }
  }

  private enqueue(ds: DaemonSet): void {
    this.queue.add(keyOf(ds));
  }

  private enqueueAll(): void {
    for (const ds of this.o.dsInformer.list()) this.enqueue(ds);
  }

  /** Node changes that could change where a DaemonSet runs enqueue the DaemonSets concerned. */
  private nodeChanged(old: Node | undefined, cur: Node): void {
    // Heartbeats only touch status: placement depends on labels, taints and the rest of the spec.
    if (old && JSON.stringify([old.metadata.labels, old.spec]) === JSON.stringify([cur.metadata.labels, cur.spec])) return;
    for (const ds of this.o.dsInformer.list()) {
      const now = nodeShouldRunDaemonPod(cur, ds);
      const before = old && nodeShouldRunDaemonPod(old, ds);
      if (!before || before.shouldRun !== now.shouldRun || before.shouldContinueRunning !== now.shouldContinueRunning) this.enqueue(ds);
    }
  }

  private ownerOf(pod: Pod): DaemonSet | undefined {
    return resolveControllerRef(this.o.dsInformer, DAEMONSET_KIND, pod.metadata.namespace ?? '', getControllerOf(pod));
  }

  private orphanCandidates(pod: Pod): DaemonSet[] {
    return ownersSelecting(this.o.dsInformer, pod);
  }

  private addPod(pod: Pod): void {
    if (pod.metadata.deletionTimestamp) return this.deletePod(pod);
    const ds = this.ownerOf(pod);
    if (ds) {
      this.expectations.creationObserved(keyOf(ds));
      return this.enqueue(ds);
    }
    if (!getControllerOf(pod)) for (const d of this.orphanCandidates(pod)) this.enqueue(d);
  }

  private updatePod(old: Pod, cur: Pod): void {
    if (old.metadata.resourceVersion === cur.metadata.resourceVersion) return;
    if (cur.metadata.deletionTimestamp) return this.deletePod(cur);
    const oldOwner = this.ownerOf(old);
    const ds = this.ownerOf(cur);
    if (oldOwner && oldOwner !== ds) this.enqueue(oldOwner);
    if (ds) {
      this.enqueue(ds);
      const minReady = ds.spec.minReadySeconds ?? 0;
      if (minReady > 0 && !isPodReady(old) && isPodReady(cur)) this.queue.addAfter(keyOf(ds), minReady * 1000 + 1000);
      return;
    }
    if (!getControllerOf(cur)) for (const d of this.orphanCandidates(cur)) this.enqueue(d);
  }

  private deletePod(pod: Pod): void {
    const ds = this.ownerOf(pod);
    if (!ds) return;
    this.expectations.deletionObserved(keyOf(ds), podKey(pod));
    this.enqueue(ds);
  }
}
